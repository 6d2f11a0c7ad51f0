"""The label rules, one regulation at a time: what is asked, in which words, and what is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tui.compliance import (
    Allergen,
    BatchInfo,
    ClpData,
    Component,
    Maker,
    ProductInfo,
    content,
    parse_net,
)
from tui.compliance.clp import needs_ufi
from tui.compliance.durability import add_months, month_year
from tui.compliance.ingredients import food_allergen, food_list, inci_list
from tui.compliance.profiles import net_figures_mm

MAKER = Maker("Bench & Bloom", "12 Mill Lane, Bath", "hi@bench.example", "+44 1225 000000")
MADE = date(2026, 11, 5)


def batch(best_before: date | None = None) -> BatchInfo:
    return BatchInfo("B261105-01", MADE, best_before)


def test_inci_list_is_by_weight_with_duplicates_merged() -> None:
    parts = (
        Component("Olive oil", D(30), "Olea Europaea Fruit Oil"),
        Component("Water", D(40), "Aqua"),
        Component("Rose water", D(20), "Aqua"),  # 60 g of Aqua in all
        Component("Shea butter", D("0.5"), "Butyrospermum Parkii Butter"),
    )
    found = inci_list("BALM", parts, rinse_off=False)
    assert found.text == "Ingredients: Aqua, Olea Europaea Fruit Oil, Butyrospermum Parkii Butter"
    assert found.missing == ()


@pytest.mark.parametrize(
    ("rinse_off", "percent_in_oil", "named"),
    [
        (False, D("0.002"), False),  # 0.001 % of the product exactly: not above the threshold
        (False, D("0.0021"), True),
        (True, D("0.02"), False),  # rinse-off: 0.01 % exactly
        (True, D("0.021"), True),
    ],
)
def test_allergens_are_named_above_their_threshold(rinse_off: bool, percent_in_oil: D, named: bool) -> None:
    oil = Component("Rose oil", D(50), "Parfum", (Allergen("Citronellol", percent_in_oil),))
    base = Component("Base", D(50), "Aqua")
    found = inci_list("X", (base, oil), rinse_off)  # the oil is half the product
    assert ("Citronellol" in found.text.split(", ")) is named
    assert found.allergens == (("Citronellol",) if named else ())


def test_one_allergen_from_several_materials_is_summed() -> None:
    a = Component("Lavender oil", D(1), "Lavandula Angustifolia Oil", (Allergen("Linalool", D("0.06")),))
    b = Component(
        "Bergamot oil", D(1), "Citrus Aurantium Bergamia Peel Oil", (Allergen("linalool", D("0.06")),)
    )
    base = Component("Base", D(998), "Cera Alba")
    found = inci_list("X", (base, a, b), rinse_off=False)  # 0.0012 g in 1000 g = 0.00012 %... too little
    assert found.allergens == ()
    found = inci_list("X", (Component("Base", D(98), "Cera Alba"), a, b), rinse_off=False)
    assert found.allergens == ("Linalool",)  # 0.0012 g in 100 g = 0.0012 % > 0.001 %


def test_a_material_without_its_inci_name_is_named_in_the_refusal() -> None:
    found = inci_list("SOAP-LAV", (Component("Olive oil", D(70)),), rinse_off=True)
    assert [m.message for m in found.missing] == [
        "cosmetic label for SOAP-LAV needs the INCI name of Olive oil: set it with "
        "material edit --inci NAME 'Olive oil'"
    ]


def test_food_allergens_are_emphasised_in_the_list() -> None:
    found = food_list(
        "BISC",
        (
            Component("Wheat flour", D(50), food_allergens=("wheat",)),
            Component("Butter", D(30), food_allergens=("milk",)),
            Component("Sugar", D(20)),
            Component("Egg", D(10), "Free-range egg", food_allergens=("eggs",)),
        ),
    )
    assert found.text == "Ingredients: Wheat flour, Butter (milk), Sugar, Free-range egg (eggs)"
    assert [found.text[a:b] for a, b in found.emphasis] == ["Wheat", "milk", "eggs"]
    assert found.allergens == ("wheat", "milk", "eggs")
    with pytest.raises(ValueError, match="not an allergen of EU 1169/2011 Annex II"):
        food_allergen("nutz")
    bad = food_list("BISC", (Component("Flour", D(1), food_allergens=("glutten",)),))
    assert bad.missing and "glutten" in bad.missing[0].message


def test_cosmetic_durability_hourglass_up_to_30_months_then_open_jar() -> None:
    soap = ProductInfo("S", "Soap", "cosmetic", (Component("Oil", D(1), "Olea"),), parse_net("100g"))
    short = content(soap, batch(date(2028, 5, 5)), MAKER)  # 18 months
    assert short.symbols == ("hourglass",) and short.fields["best_before"] == "04/2028"
    end_of_month = content(soap, batch(date(2028, 5, 31)), MAKER)
    assert end_of_month.fields["best_before"] == "05/2028"
    long = content(soap, batch(add_months(MADE, 31)), MAKER)
    assert [m.message for m in long.missing] == [
        "cosmetic label for S needs a period after opening (its shelf life is over 30 months): "
        "set it with product edit --pao 12 S"
    ]
    with_pao = ProductInfo("S", "Soap", "cosmetic", soap.components, soap.net, pao_months=12)
    jar = content(with_pao, batch(add_months(MADE, 31)), MAKER)
    assert jar.symbols == ("open_jar",) and jar.fields["pao"] == "12M" and "best_before" not in jar.fields
    exactly_30 = content(soap, batch(add_months(MADE, 30)), MAKER)
    assert exactly_30.symbols == ("hourglass",)
    undated = content(soap, batch(None), MAKER)
    assert undated.missing[0].field == "best_before" and "--shelf-life DAYS" in undated.missing[0].message


def test_month_year_never_promises_more_than_the_date() -> None:
    assert month_year(date(2028, 2, 29)) == "02/2028"
    assert month_year(date(2028, 3, 1)) == "02/2028"
    assert month_year(date(2028, 1, 15)) == "12/2027"
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_food_dates_in_the_fixed_wording() -> None:
    jam = ProductInfo("JAM", "Jam", "food", (Component("Fruit", D(1)),), parse_net("340g"))
    assert content(jam, batch(date(2027, 11, 5)), MAKER).fields["best_before"] == "Best before 05/11/2027"
    month = ProductInfo("JAM", "Jam", "food", jam.components, jam.net, month_only=True)
    assert content(month, batch(date(2027, 11, 5)), MAKER).fields["best_before"] == "Best before end 10/2027"
    refused = content(month, batch(date(2027, 1, 5)), MAKER)  # 2 months: the day is needed
    assert refused.missing[0].field == "best_before" and "needs the day" in refused.missing[0].message
    cream = ProductInfo("CREAM", "Cream", "food", jam.components, parse_net("250ml"), use_by=True)
    assert content(cream, batch(date(2026, 11, 12)), MAKER).missing[0].field == "use_by"
    kept = ProductInfo(
        "CREAM", "Cream", "food", jam.components, cream.net, use_by=True, storage="Keep at 0-5 °C."
    )
    fields = content(kept, batch(date(2026, 11, 12)), MAKER).fields
    assert fields["use_by"] == "Use by 12/11/2026. Keep at 0-5 °C." and "best_before" not in fields
    assert fields["lot"] == "L B261105-01"


def test_food_text_is_smaller_only_on_small_packs() -> None:
    jam = ProductInfo("JAM", "Jam", "food", (Component("Fruit", D(1)),), parse_net("340g"))
    assert content(jam, batch(date(2027, 1, 1)), MAKER).sizes["ingredients"].x_height_mm == 1.2
    sachet = ProductInfo("JAM", "Jam", "food", jam.components, parse_net("20g"), largest_surface_cm2=40)
    sizes = content(sachet, batch(date(2027, 1, 1)), MAKER).sizes
    assert sizes["ingredients"].x_height_mm == 0.9 and sizes["net"].figures_mm == 2.0


@pytest.mark.parametrize(
    ("net", "mm"), [("50g", 2.0), ("51 g", 3.0), ("200ml", 3.0), ("0.5kg", 4.0), ("1l", 4.0), ("1.5 kg", 6.0)]
)
def test_net_quantity_figures_follow_76_211(net: str, mm: float) -> None:
    assert net_figures_mm(parse_net(net)) == mm


def test_parse_net() -> None:
    assert parse_net("100g").text == "100 g" and parse_net("1,5 L").text == "1.5 l"
    for bad in ("100", "0g", "-5g", "ten grams", "5 oz", "1.2345kg"):
        with pytest.raises(ValueError, match="not a net quantity"):
            parse_net(bad)


def candle(*fragrances: Component, net: str | None = "200g") -> ProductInfo:
    return ProductInfo(
        "CAN", "Candle", "candle", (Component("Soy wax", D(90)), *fragrances), parse_net(net) if net else None
    )


CLP_10 = ClpData(
    D(10),
    ("GHS07",),
    "Warning",
    ("H317 May cause an allergic skin reaction.",),
    ("P280 Wear gloves.",),
    ufi="ABCD-EFGH-IJKL-MNOP",
)
CLP_12 = ClpData(
    D(12), ("GHS07", "GHS09"), "Warning", ("H317 ...", "H411 ..."), ("P273 ...",), ufi="WXYZ-EFGH-IJKL-MNOP"
)


def test_the_candle_uses_its_fragrance_data_at_the_recipe_load_or_the_next_one_up() -> None:
    exact = content(candle(Component("Rose", D(10), fragrance=True, clp=(CLP_12, CLP_10))), batch(), MAKER)
    assert exact.symbols == ("GHS07",) and exact.missing == () and exact.notices == ()
    assert exact.fields["hazards"] == "H317 May cause an allergic skin reaction. P280 Wear gloves."
    assert exact.fields["phone"] == MAKER.phone and exact.fields["net"] == "200 g"
    weaker = candle(Component("Rose", D("9.2"), fragrance=True, clp=(CLP_12, CLP_10)))
    weaker = ProductInfo(
        weaker.sku, weaker.name, "candle", (Component("Soy wax", D("90.8")), weaker.components[1]), weaker.net
    )
    found = content(weaker, batch(), MAKER)
    assert found.symbols == ("GHS07",) and "for 10 % is used (the recipe has 9.2 %)" in found.notices[0]
    stronger = content(candle(Component("Rose", D(15), fragrance=True, clp=(CLP_10, CLP_12))), batch(), MAKER)
    assert [m.field for m in stronger.missing] == ["hazards"]
    assert (
        "needs the CLP data of Rose at 14.3 % (the recipe's load; data is stated for 10 %, 12 %)"
        in stronger.missing[0].message
    )


def test_candles_refuse_what_lotkeeper_would_have_to_classify() -> None:
    two = content(
        candle(
            Component("Rose", D(5), fragrance=True, clp=(CLP_10,)),
            Component("Oud", D(5), fragrance=True, clp=(CLP_10,)),
        ),
        batch(),
        MAKER,
    )
    assert "does not classify a blend" in two.missing[0].message
    none = content(candle(Component("Rose", D(10), fragrance=True)), batch(), MAKER)
    assert "material clp --load 10" in none.missing[0].message and none.missing[0].message.endswith("Rose")


def test_an_unclassified_or_unscented_candle_has_no_hazard_block() -> None:
    plain = content(candle(net=None), batch(), MAKER)
    assert plain.symbols == () and plain.missing == () and "hazards" not in plain.fields
    assert plain.fields["warnings"].startswith("Never leave a burning candle unattended.")
    assert "phone" not in plain.fields  # a candle without a hazard label needs no telephone number
    safe = content(candle(Component("Rose", D(10), fragrance=True, clp=(ClpData(D(10)),))), batch(), MAKER)
    assert safe.symbols == () and "not classified" in safe.notices[-1]


def test_a_hazard_block_needs_the_suppliers_telephone_the_net_quantity_and_a_ufi() -> None:
    no_ufi = ClpData(D(10), ("GHS07",), "Warning", ("H317 May cause an allergic skin reaction.",))
    found = content(
        candle(Component("Rose", D(10), fragrance=True, clp=(no_ufi,)), net=None),
        batch(),
        Maker("B", "A", "e@x"),
    )
    assert sorted(m.field for m in found.missing) == ["net", "phone", "ufi"]
    assert needs_ufi(no_ufi) and not needs_ufi(
        ClpData(D(10), ("GHS09",), "Warning", ("H411 Toxic to aquatic life.",))
    )
    wrong = ClpData(D(10), ("GHS10",), "Careful", ("H317 ...",), ufi="X")
    bad = content(candle(Component("Rose", D(10), fragrance=True, clp=(wrong,))), batch(), MAKER)
    assert {m.message.split("is wrong: ")[1] for m in bad.missing} == {
        "'GHS10' is not a CLP pictogram (use GHS01 ... GHS09)",
        "the signal word is 'Careful' (use Warning or Danger)",
    }


def test_general_goods_need_the_makers_postal_and_electronic_address() -> None:
    ring = ProductInfo("RING", "Ring", "general")
    found = content(ring, batch(), Maker(name="Bench"))
    assert [m.field for m in found.missing] == ["address", "email"]
    assert found.missing[1].message == (
        "general label for RING needs the maker's e-mail or web contact: "
        "set email in the [maker] table of the config"
    )
    complete = content(ring, batch(), MAKER)
    assert complete.missing == () and complete.fields["lot"] == "Lot B261105-01"
    assert [b.kind for b in complete.barcodes] == ["qr", "code128"]


def test_barcodes_follow_the_gtin() -> None:
    upc = ProductInfo("R", "Ring", "general", gtin="00614141000005")
    found = content(
        upc, BatchInfo("B1", MADE, date(2027, 1, 1), "https://id.example.com/01/00614141000005/10/B1"), MAKER
    )
    assert [(b.kind, b.data) for b in found.barcodes] == [
        ("qr", "https://id.example.com/01/00614141000005/10/B1"),
        ("upca", "614141000005"),
        ("gs1_datamatrix", "(01)00614141000005(17)270101(10)B1"),
    ]
    spaced = content(upc, BatchInfo("B 1", MADE), MAKER)
    assert [b.kind for b in spaced.barcodes] == ["qr", "upca"]  # GS1 cannot carry a space
