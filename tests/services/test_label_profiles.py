"""Label profiles from the store: what a batch's label carries is read from the product's profile,
its recipe (intermediate products opened up) and its materials' INCI names, allergens and CLP
data; an incomplete label is refused by the print queue with what to set, and writes nothing;
a printed one keeps its profile, template version and field values with the job. Both backends.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from tui.config import MakerConfig, PrinterConfig
from tui.devices.printers import make_printer
from tui.errors import InvalidInput
from tui.labels import label_size
from tui.services import catalog, editing, production, products, profiles
from tui.services.label_data import LabelSource, describe_lot
from tui.services.label_profiles import components
from tui.services.printing import PrintService
from tui.store import label_jobs
from tui.store.models import LabelJob, MaterialAllergen, MaterialClp, Product

MAKER = MakerConfig(
    name="Hollow Oak Soap Co.",
    address="12 Mill Lane, Bath BA1 1AA, UK",
    email="hello@hollowoak.example",
    phone="+44 1225 000000",
)
SOURCE = LabelSource(maker=MAKER)
MADE = "2026-03-02"


@pytest.fixture
def queue(tmp_path: Path) -> PrintService:
    printer = make_printer(PrinterConfig(name="folder", kind="file", uri=str(tmp_path / "labels")))
    return PrintService([printer], source=SOURCE)


@pytest.fixture
async def soap(world, codes) -> str:
    """A batch of SOAP-LAV as a rinse-off cosmetic, its materials named in INCI, its lavender
    oil declaring two allergens; no net content yet."""
    await profiles.edit_label_fields("SOAP-LAV", profile="cosmetic", rinse_off=True)
    for name, inci in (
        ("Olive oil", "Olea Europaea Fruit Oil"),
        ("Lye", "Sodium Hydroxide"),
        ("Lavender oil", "Lavandula Angustifolia Oil"),
    ):
        await profiles.edit_material_label(name, inci=inci)
    await profiles.edit_material_label("Lavender oil", allergens=["Linalool=30", "Limonene=0.05"])
    await production.make("BLEND-LAV", "30", made=MADE, codes=codes)
    return (await production.make("SOAP-LAV", "3", made=MADE, codes=codes)).lot


async def test_components_open_up_the_blend_and_weigh_in_grams(soap) -> None:
    found = {c.material: c for c in await components(await Product.get(sku="SOAP-LAV"))}
    assert {name: c.weight for name, c in found.items()} == {
        "Olive oil": Decimal(100),
        "Lye": Decimal("12.5"),
        "Lavender oil": Decimal(2),  # 2 ml of blend, 1 ml of oil per ml, no density: 1 g/ml
    }
    assert [(a.inci, a.percent) for a in found["Lavender oil"].allergens] == [
        ("Linalool", Decimal(30)),
        ("Limonene", Decimal("0.05")),
    ]


async def test_describe_lists_the_fields_and_what_is_missing(soap) -> None:
    found = await describe_lot(soap, SOURCE, label_size("62"))
    head = (found.template, found.profile, found.size, found.missing)
    assert head == ("cosmetic", "cosmetic", "62", ("net",))
    # Linalool: 0.6 g of 114.5 g, above 0.01 % (rinse-off); limonene 0.001 g is 0.0009 %: not named.
    assert found.fields["ingredients"] == (
        "Ingredients: Olea Europaea Fruit Oil, Sodium Hydroxide, Lavandula Angustifolia Oil, Linalool"
    )
    assert found.fields["maker"] == MAKER.name
    assert "needs net content: set it with product edit --net 100g" in found.problems[0]


async def test_an_incomplete_label_is_refused_and_writes_nothing(soap, queue, db_dump, tmp_path) -> None:
    before = db_dump()
    with pytest.raises(InvalidInput, match="cosmetic label for SOAP-LAV needs net content"):
        await queue.enqueue_lot_label(soap)
    assert db_dump() == before
    assert not (tmp_path / "labels").exists() or not any((tmp_path / "labels").iterdir())


async def test_a_printed_label_keeps_its_profile_version_and_fields(soap, queue) -> None:
    await profiles.edit_label_fields("SOAP-LAV", net="100g", pao="12")
    job = await queue.enqueue_lot_label(soap)
    row = await label_jobs.row(job.id)
    printed = row.payload["printed"]
    assert (row.template, printed["profile"], printed["template_version"]) == ("cosmetic", "cosmetic", 1)
    assert printed["fields"]["net"] == "100 g"
    assert printed["fields"]["lot"] == f"Lot {soap}"
    assert {"kind": "qr", "data": soap} in printed["barcodes"]
    [sent] = await queue.process_once()
    assert sent.status.value == "sent"


async def test_products_without_a_profile_keep_the_plain_batch_label(world, codes, queue) -> None:
    await production.make("BLEND-LAV", "30", made=MADE, codes=codes)
    lot = (await production.make("SOAP-LAV", "1", made=MADE, codes=codes)).lot
    found = await describe_lot(lot, SOURCE, label_size("62"))
    assert (found.template, found.profile, found.missing) == ("batch", None, ())
    job = await queue.enqueue_lot_label(lot)
    assert "printed" not in (await label_jobs.row(job.id)).payload


async def test_a_candle_uses_its_fragrance_clp_data_at_the_recipe_load(store, codes) -> None:
    await catalog.add_material("Soy wax", "g", inci="Hydrogenated Soybean Oil")
    await catalog.add_material("Fig fragrance", "g", inci="Parfum")
    await catalog.add_material("Jar", "pcs")
    await catalog.add_supplier("Wax Co")
    await products.add_product(
        "Fig candle",
        "CANDLE-FIG",
        codes=codes,
        recipe=[("Soy wax", "180g"), ("Fig fragrance", "20g"), ("Jar", "1")],
        label=profiles.label_fields(profiles.LabelFields(), profile="candle", net="200g"),
    )
    from tui.services import inventory

    for material, qty in (("Soy wax", "1kg"), ("Fig fragrance", "100g"), ("Jar", "5")):
        await inventory.receive(material, qty, supplier="Wax Co", received=MADE, codes=codes)
    lot = (await production.make("CANDLE-FIG", "1", made=MADE, codes=codes)).lot
    red = label_size("62red")
    # The jar is packaging: the load is 20 g of 200 g, 10 %; with no data at 10 % nothing prints.
    await profiles.set_material_clp("Fig fragrance", profiles.ClpInput("10"))  # not classified at 10 %
    assert (await describe_lot(lot, SOURCE, red)).symbols == ()
    given = profiles.ClpInput(
        "10",
        ("GHS07",),
        "warning",
        ("H317 May cause an allergic skin reaction.",),
        ("P280 Wear protective gloves.",),
        ("linalool",),
        "N1QV-R0VK-K00F-0P3D",
    )
    await profiles.set_material_clp("Fig fragrance", given)  # replaces the data at 10 %
    assert await MaterialClp.filter().count() == 1
    found = await describe_lot(lot, SOURCE, red)
    assert (found.symbols, found.missing) == (("GHS07",), ())
    assert found.fields["signal_word"] == "Warning"
    assert found.fields["ufi"] == "UFI: N1QV-R0VK-K00F-0P3D"
    assert found.fields["hazards"].startswith("Contains linalool. H317")
    plain = await describe_lot(lot, SOURCE, label_size("62"))  # black-only tape cannot frame in red
    assert any("need red frames" in p for p in plain.problems)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (profiles.ClpInput("0"), "not a percentage"),
        (profiles.ClpInput("10", ("GHS10",)), "not a CLP pictogram"),
        (profiles.ClpInput("10", ("GHS07",), "Caution", ("H317 x",)), "use Warning or Danger"),
        (profiles.ClpInput("10", ("GHS07",), "Warning"), "give the hazard statements"),
        (profiles.ClpInput("10", (), "", ("May cause",)), "does not start with its code"),
        (profiles.ClpInput("10", (), "", ("H317 x",), (), (), "123"), "XXXX-XXXX-XXXX-XXXX"),
    ],
)
async def test_wrong_clp_data_is_refused_and_writes_nothing(world, db_dump, given, message) -> None:
    before = db_dump()
    with pytest.raises(InvalidInput, match=message):
        await profiles.set_material_clp("Lavender oil", given)
    assert db_dump() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"profile": "toy"}, "profile 'toy' is not known"),
        ({"net": "100 pcs"}, "is not a net quantity"),
        ({"pao": "0"}, "not a number of months"),
    ],
)
async def test_wrong_product_label_fields_are_refused(world, db_dump, change, message) -> None:
    before = db_dump()
    with pytest.raises(InvalidInput, match=message):
        await profiles.edit_label_fields("SOAP-LAV", **change)
    assert db_dump() == before


async def test_material_edit_with_a_bad_allergen_writes_nothing(world, db_dump) -> None:
    before = db_dump()
    row = await editing.material_row("Lavender oil")
    with pytest.raises(InvalidInput, match="NAME=PERCENT"):
        await editing.update_material(
            row.name, new_name="Lavender EO", unit=row.unit, inci="Lavandula Oil", allergens=["Linalool"]
        )
    assert db_dump() == before
    both = ["milk", "Citral=1.5"]
    await editing.update_material(row.name, new_name=row.name, unit=row.unit, allergens=both)
    assert sorted(await MaterialAllergen.all().values_list("name", "percent_micro")) == [
        ("Citral", 1_500_000),
        ("milk", None),
    ]


async def test_no_profile_removes_it(world) -> None:
    await profiles.edit_label_fields("SOAP-LAV", profile="food", net="1kg")
    edited = await profiles.edit_label_fields("SOAP-LAV", profile="none", net="")
    assert (edited.profile, edited.net) == (None, None)
    assert await LabelJob.all().count() == 0
