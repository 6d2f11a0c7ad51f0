"""Each profile's label at every size and resolution it prints on: the barcodes decode to what the
description says, and every field and symbol has a box that is inside the label, overlaps no other,
and is at least as large as its rule asks (x-height, figure height, pictogram side)."""

from __future__ import annotations

import dataclasses
import json
import math
from itertools import combinations

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageDraw

from tests.labels.conftest import SAMPLES
from tui.compliance import Maker, content
from tui.compliance.clp import pictogram_min_mm
from tui.compliance.model import Barcode
from tui.errors import InvalidInput
from tui.labels import SUPPORTED, from_json, label_size, render, to_json
from tui.labels.compliant import CARD, ProfileLabelData, compose, describe
from tui.labels.sizes import LabelSize

DPIS = (203, 300)
FITS = {
    "cosmetic": set(SUPPORTED),
    "food": {"62", "62red", "102", "29", "38", "29x90"},
    "candle": {"62", "62red", "102", "29", "38"},
    "general": set(SUPPORTED),
}
"""Where each sample fits (the candle's hazard block and the jam's 1.2 mm text need endless tape)."""
INSIDE_INGREDIENTS = {"allergens"}
"""Fields printed within another (the named allergens are part of the ingredient list)."""
FORMATS = {
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "ean13": zxingcpp.BarcodeFormat.EAN13,
    "upca": zxingcpp.BarcodeFormat.EAN13,  # zxing reports a UPC-A in its EAN-13 form
    "code128": zxingcpp.BarcodeFormat.Code128,
    "gs1_datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
}


def decoded(image: Image.Image) -> set[tuple[zxingcpp.BarcodeFormat, str]]:
    return {(b.format, b.text) for b in zxingcpp.read_barcodes(image.convert("L"))}


def expected(barcodes: tuple[Barcode, ...]) -> set[tuple[zxingcpp.BarcodeFormat, str]]:
    return {(FORMATS[b.kind], "0" + b.data if b.kind == "upca" else b.data) for b in barcodes}


def data_for(profile: str, size: LabelSize) -> ProfileLabelData:
    sample = SAMPLES[profile]
    if profile == "candle" and not size.red:
        return dataclasses.replace(sample, preprinted_diamonds=True)
    return sample


def ink_outside(image: Image.Image, boxes) -> int:
    """Dots printed (black or red) outside every recorded box."""
    inked = image.convert("L").point(lambda v: 255 if v < 250 else 0)
    cover = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(cover)
    for b in boxes:
        draw.rectangle((b.x, b.y, b.x + b.width - 1, b.y + b.height - 1), fill=255)
    return ImageChops.subtract(inked, cover).histogram()[255]


def check_boxes(composed, size: LabelSize, profile: str, data: ProfileLabelData | None = None) -> None:
    """Every field, symbol and barcode boxed, inside the label, apart, and as large as its rule
    (`data`: what the label was made from, default the profile's sample)."""
    image, boxes, desc = composed.image, composed.boxes, composed.description
    data = data or data_for(profile, size)
    names = {b.name for b in boxes}
    assert set(desc.fields) - INSIDE_INGREDIENTS <= names, "a field has no box"
    assert set(desc.symbols) <= names, "a symbol has no box"
    assert {b.kind for b in desc.barcodes} <= names, "a barcode has no box"
    for box in boxes:
        assert box.x >= 0 and box.y >= 0, box
        assert box.x + box.width <= image.width and box.y + box.height <= image.height, box
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    assert ink_outside(image, boxes) == 0, "something printed outside every box"
    found = content(data.product, data.batch, data.maker)
    for box in boxes:
        rule = found.sizes.get(box.name)
        if box.kind == "text":
            assert rule is not None and box.size >= size.dots_f(rule.x_height_mm), box
        elif box.kind == "figures":
            assert rule is not None and box.size >= size.dots_f(rule.figures_mm), box
        elif box.kind == "symbol" and box.name.startswith("GHS"):
            width, length = size.tape_mm  # a die-cut label's own area, else the label as printed
            area = width * length if length else size.mm(image.width) * size.mm(image.height)
            assert box.size >= size.dots_f(pictogram_min_mm(area)), box
        elif box.kind == "symbol":
            assert box.size >= size.dots_f(4.0), box


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("size_id", SUPPORTED)
@pytest.mark.parametrize("profile", list(SAMPLES))
def test_each_profile_at_each_size(profile: str, size_id: str, dpi: int) -> None:
    size = label_size(size_id, dpi)
    data = data_for(profile, size)
    if size_id not in FITS[profile]:
        with pytest.raises(InvalidInput, match=f"does not fit {size.name} labels"):
            compose(profile, data, size)
        desc = describe(profile, data, size)
        assert desc.problems and "does not fit" in desc.problems[0] and desc.missing == ()
        return
    composed = compose(profile, data, size)
    desc = composed.description
    assert desc.missing == () and desc.problems == ()
    assert (desc.lot, desc.template, desc.profile, desc.size) == (data.batch.lot, profile, profile, size_id)
    assert (size.width or composed.image.width, size.height or composed.image.height) == composed.image.size
    assert composed.image.mode == ("P" if size.red else "1")
    assert decoded(composed.image) == expected(desc.barcodes)
    check_boxes(composed, size, profile)
    assert describe(profile, data, size) == desc
    rendered = render(profile, data, size)
    assert rendered.image.tobytes() == composed.image.tobytes() and rendered.version >= 1


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("size_id", ["62x29"])
def test_a_cosmetic_label_too_small_for_its_ingredients_gets_a_card(size_id: str, dpi: int) -> None:
    size = label_size(size_id, dpi)
    label = compose("cosmetic", SAMPLES["cosmetic"], size)
    desc = label.description
    assert "leaflet" in desc.symbols and desc.companions == (CARD,)
    assert "ingredients" not in desc.fields and "allergens" not in desc.fields
    assert any("separate card" in n for n in desc.notices)
    card = compose(CARD, SAMPLES["cosmetic"], label_size("62", dpi))
    assert card.description.fields["ingredients"].startswith("Ingredients: Olea Europaea Fruit Oil, Aqua")
    assert card.description.fields["allergens"] == "Linalool"  # Geraniol stays under 0.01 % (rinse-off)
    assert decoded(card.image) == {(zxingcpp.BarcodeFormat.QRCode, "SOAP261105-01")}
    check_boxes(card, label_size("62", dpi), "cosmetic")


def test_roomy_labels_keep_the_ingredients_on_the_label() -> None:
    desc = compose("cosmetic", SAMPLES["cosmetic"], label_size("62")).description
    assert "leaflet" not in desc.symbols and desc.companions == ()
    assert desc.fields["ingredients"].endswith("Cedrus Atlantica Bark Oil, Linalool")


def red_pixels_in(image: Image.Image, box) -> int:
    crop = image.crop((box.x, box.y, box.x + box.width, box.y + box.height))
    return sum(count for count, index in crop.getcolors() or [] if index == 2)


def test_pictograms_print_in_red_frames_only_on_red_tape() -> None:
    label = compose("candle", SAMPLES["candle"], label_size("62red"))
    ghs = [b for b in label.boxes if b.name.startswith("GHS")]
    assert [b.name for b in ghs] == ["GHS07", "GHS09"]
    assert all(red_pixels_in(label.image, b) > 0 for b in ghs)
    others = [b for b in label.boxes if not b.name.startswith("GHS")]
    assert all(red_pixels_in(label.image, b) == 0 for b in others)  # hazard text is black (CLP 2024/2865)
    with pytest.raises(InvalidInput, match="need red frames: load 62 mm black/red tape"):
        compose("candle", SAMPLES["candle"], label_size("62"))
    desc = describe("candle", SAMPLES["candle"], label_size("62"))
    assert desc.problems and "red frames" in desc.problems[0]


def test_pre_printed_diamonds_get_the_black_symbol_at_the_top_left() -> None:
    size = label_size("62")
    framed = compose("candle", SAMPLES["candle"], label_size("62red"))
    plain = compose("candle", dataclasses.replace(SAMPLES["candle"], preprinted_diamonds=True), size)
    first = next(b for b in plain.boxes if b.name == "GHS07")
    assert (first.x, first.y) == (size.dots(1.0), size.dots(1.0))
    crop = (first.x, first.y, first.x + first.width, first.y + first.height)
    ink_plain = plain.image.crop(crop).histogram()[0]  # black dots in a 1-bit image
    ink_framed = sum(n for n, i in framed.image.crop(crop).getcolors() or [] if i in (1, 2))
    assert 0 < ink_plain < ink_framed / 2  # the symbol only: the frame is on the stock


def test_clp_label_fit_is_stated_for_narrow_tape() -> None:
    narrow = describe("candle", data_for("candle", label_size("29")), label_size("29"))
    assert any("cannot hold the 52 x 74 mm label" in n for n in narrow.notices)
    wide = compose("candle", SAMPLES["candle"], label_size("62red"))
    assert not any("52 x 74" in n for n in wide.description.notices)
    size = label_size("62red")
    assert size.mm(wide.image.height) >= 74 and size.mm(wide.image.width) >= 52


def test_a_label_missing_a_field_is_described_then_refused() -> None:
    soap = SAMPLES["cosmetic"]
    incomplete = dataclasses.replace(soap, product=dataclasses.replace(soap.product, net=None), maker=Maker())
    desc = describe("cosmetic", incomplete, label_size("62"))
    assert desc.missing == ("net", "maker", "address")
    assert desc.problems[0] == (
        "cosmetic label for SOAP-LAV needs net content: set it with product edit --net 100g SOAP-LAV"
    )
    with pytest.raises(InvalidInput, match="needs net content") as refused:
        compose("cosmetic", incomplete, label_size("62"))
    assert "[maker] table of the config" in refused.value.message
    with pytest.raises(InvalidInput, match="needs net content"):
        render("cosmetic", incomplete, label_size("62"))


def test_a_product_prints_with_its_own_profile_template() -> None:
    with pytest.raises(
        InvalidInput, match="SOAP-LAV is a cosmetic product: its label prints with the cosmetic"
    ):
        compose("food", SAMPLES["cosmetic"], label_size("62"))
    with pytest.raises(InvalidInput, match="JAM-STR is a food product"):
        compose(CARD, SAMPLES["food"], label_size("62"))


def test_food_allergens_print_bold() -> None:
    label = compose("food", SAMPLES["food"], label_size("62"))
    desc = label.description
    text = desc.fields["ingredients"]
    assert text == "Ingredients: Strawberries, Sugar, Butter (milk), Roasted hazelnuts, Lemon juice"
    assert desc.fields["allergens"] == "milk, hazelnuts"
    assert desc.fields["lot"] == "L JAM261105-01"
    assert desc.fields["best_before"] == "Best before 05/11/2027. Once opened, keep refrigerated."
    plain = dataclasses.replace(
        SAMPLES["food"].product,
        components=tuple(
            dataclasses.replace(c, food_allergens=()) for c in SAMPLES["food"].product.components
        ),
    )
    unbolded = compose("food", dataclasses.replace(SAMPLES["food"], product=plain), label_size("62"))
    box = next(b for b in label.boxes if b.name == "ingredients")
    box_plain = next(b for b in unbolded.boxes if b.name == "ingredients")

    def ink(image: Image.Image, b) -> int:
        return image.crop((b.x, b.y, b.x + b.width, b.y + b.height)).histogram()[0]

    assert ink(label.image, box) > ink(unbolded.image, box_plain) * 1.03


def test_database_text_is_drawn_literally() -> None:
    odd = dataclasses.replace(
        SAMPLES["general"], product=dataclasses.replace(SAMPLES["general"].product, name="[b]Ring[/b]\x1b[2J")
    )
    label = compose("general", odd, label_size("62"))
    assert label.description.fields["product"] == "[b]Ring[/b]\x1b[2J"
    assert decoded(label.image) == expected(label.description.barcodes)


def test_payload_round_trips_through_json() -> None:
    for profile, data in SAMPLES.items():
        again = from_json(profile, json.loads(json.dumps(to_json(data))))
        assert again == data
    with pytest.raises(InvalidInput, match="damaged"):
        from_json("cosmetic", {"product": {"sku": "X"}, "batch": {}, "maker": {}})


def test_descriptions_use_the_cli_contract_names() -> None:
    names = {"lot", "product", "net", "best_before", "use_by", "pao", "maker", "address", "email", "phone"}
    names |= {"ingredients", "allergens", "warnings", "signal_word", "hazards", "ufi"}
    for profile, data in SAMPLES.items():
        size = label_size("62red")
        desc = describe(profile, data, size)
        assert set(desc.fields) <= names
        assert set(desc.symbols) <= {"hourglass", "open_jar", "leaflet", *(f"GHS0{n}" for n in range(1, 10))}
    candle = describe("candle", SAMPLES["candle"], label_size("62red"))
    assert candle.fields["signal_word"] == "Warning" and candle.fields["ufi"] == "UFI: N1QV-R0VK-K00F-0P3D"
    assert candle.fields["hazards"].startswith("Contains linalool, citral. H317 May cause an allergic skin")
    assert "Never leave a burning candle unattended." in candle.fields["warnings"]


def test_pictogram_size_follows_the_label_area() -> None:
    assert math.isclose(pictogram_min_mm(52 * 74), math.sqrt(52 * 74 / 15))
    assert pictogram_min_mm(62 * 29) == pytest.approx(10.95, abs=0.01)
    assert pictogram_min_mm(20 * 30) == 10.0
    assert pictogram_min_mm(102 * 200) == pictogram_min_mm(52 * 74)  # a bigger label asks no more
