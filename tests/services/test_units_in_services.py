"""Units, densities, packs and whole pieces through the real services on a real store: every
quantity is converted exactly to the item's stock unit before it is written, and a quantity that
cannot be converted is refused with a sentence and nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import MADE
from tui.codes.units import BY_SYMBOL, Quantity
from tui.errors import InvalidInput
from tui.services import catalog, editing, inventory, lot_use, production, products, sales
from tui.services.intake import read_supplier_label
from tui.services.resolver import resolve
from tui.store.models import Consumption, Lot, Material, MaterialPack, RecipeLine, SupplierCode

CASE_GTIN = "05012345000015"
JAR_GTIN = "5012345000022"


@pytest.fixture
async def shop(store, codes):
    """Olive oil bought by the litre (ml, 0.91 g/ml, drums of 25 l), lye in g (sacks of 25 kg),
    lavender oil in ml without a density, jars in pcs by the case of 12 (the case's GTIN names
    the case, a jar's its own), and a soap whose recipe mixes weights and volumes."""
    await catalog.add_supplier("Acme")
    await catalog.add_material("Olive oil", "ml", density="0.91", packs=["drum=25l"])
    await catalog.add_material("Lye", "g", packs=["sack=25kg"], reorder="2.5kg")
    await catalog.add_material("Lavender oil", "ml")
    await catalog.add_material(
        "Amber jar 120 ml", "pcs", packs=["case=12"], codes=[f"{CASE_GTIN}=case", JAR_GTIN], supplier="Acme"
    )
    await products.add_product(
        "Lavender soap",
        "SOAP-LAV",
        codes=codes,
        recipe=[
            ("Olive oil", "91g"),
            ("Lye", "0.0125 kg"),
            ("Lavender oil", "2ml"),
            ("Amber jar 120 ml", "1"),
        ],
    )


async def rx(material: str, qty: str, cost: str | None = None) -> inventory.Received:
    return await inventory.receive(material, qty, supplier="Acme", cost=cost, received="2026-03-01")


async def test_a_quantity_with_a_unit_is_stored_exactly_in_the_stock_unit(shop) -> None:
    oil = await rx("Olive oil", "2.5 l", cost="20.00")
    assert (oil.qty, oil.unit, oil.given) == (Decimal(2500), "ml", "2.5 l = 2500 ml")
    lot = await Lot.get(code=oil.lot)
    assert (lot.qty_milli, lot.on_hand_milli) == (2_500_000, 2_500_000)
    lye = await rx("Lye", "1 lb")  # 453.59237 g: rounded once, half to even, and said so
    assert (lye.qty, lye.given) == (Decimal("453.592"), "1 lb = 453.592 g (rounded from 453.59237 g)")
    bare = await rx("Lye", "1000.5")  # a bare number is the stock unit, exactly as typed
    assert (bare.qty, bare.given) == (Decimal("1000.5"), "1000.5 g")


async def test_density_lets_weight_and_volume_convert_both_ways(shop) -> None:
    by_weight = await rx("Olive oil", "9.1 kg")  # 9100 g / 0.91 g/ml
    assert (by_weight.qty, by_weight.unit) == (Decimal(10000), "ml")
    await inventory.waste(by_weight.lot, "91g", reason="spilt")
    assert (await inventory.count(by_weight.lot, "9.8 l", reason="shelf")).on_hand == Decimal(9800)
    adjusted = await inventory.adjust(by_weight.lot, "-0.91 kg", reason="sample")
    assert (adjusted.delta, adjusted.on_hand) == (Decimal(-1000), Decimal(8800))


async def test_weight_for_a_volume_material_without_density_is_refused_and_nothing_written(
    shop, db_dump
) -> None:
    before = db_dump()
    with pytest.raises(InvalidInput) as refused:
        await rx("Lavender oil", "250g")
    assert refused.value.message == (
        "Lavender oil is measured in ml; give a volume, or set its density to use grams"
    )
    with pytest.raises(InvalidInput, match="Amber jar 120 ml is counted in pcs; give a number of pieces"):
        await rx("Amber jar 120 ml", "2 kg")
    with pytest.raises(InvalidInput, match="for US fluid ounces write fl oz"):
        await rx("Lavender oil", "2 oz")
    assert db_dump() == before


async def test_a_pack_receives_its_size_as_one_lot(shop) -> None:
    jars = await rx("Amber jar 120 ml", "3case")
    assert (jars.qty, jars.unit, jars.given) == (Decimal(36), "pcs", "3 case = 36 pcs")
    assert await Lot.filter(material__name="Amber jar 120 ml").count() == 1
    drums = await rx("Olive oil", "2 drums")
    assert drums.qty == Decimal(50000)
    sack = await rx("Lye", "1 sack")
    assert sack.qty == Decimal(25000)


async def test_whole_pieces_everywhere(shop, world_units, db_dump) -> None:
    before = db_dump()
    for call, message in (
        (rx("Amber jar 120 ml", "0.5"), "Amber jar 120 ml is counted in whole pieces; give a whole number"),
        (rx("Amber jar 120 ml", "0.3 case"), "whole pieces: 0.3 case is 3.6 pcs"),
        (production.make("SOAP-LAV", "2.5", made=MADE), "SOAP-LAV is counted in whole pieces"),
        (production.propose("SOAP-LAV", "1.5", made=MADE), "SOAP-LAV is counted in whole pieces"),
        (inventory.waste(world_units["jars"], "1.5", reason="broke"), "counted in whole pieces"),
        (sales.sell("Jo", [("SOAP-LAV", "1.5")]), "SOAP-LAV is counted in whole pieces"),
    ):
        with pytest.raises(InvalidInput, match=message):
            await call
    assert db_dump() == before


@pytest.fixture
async def world_units(shop) -> dict[str, str]:
    await catalog.add_customer("Jo")
    return {
        "oil": (await rx("Olive oil", "1 l", cost="9.10")).lot,
        "lye": (await rx("Lye", "1 kg", cost="4.00")).lot,
        "lavender": (await rx("Lavender oil", "100", cost="25.00")).lot,
        "jars": (await rx("Amber jar 120 ml", "1 case", cost="12.00")).lot,
    }


async def test_a_recipe_in_mixed_units_is_stored_in_each_stock_unit(world_units) -> None:
    lines = (
        await RecipeLine.filter(product__sku="SOAP-LAV").order_by("id").values_list("qty_milli", flat=True)
    )
    assert lines == [100_000, 12_500, 2_000, 1_000]  # 91 g of oil at 0.91 g/ml = 100 ml
    (soap,) = [p for p in await editing.list_products() if p.sku == "SOAP-LAV"]
    assert [(r.item, r.qty, r.unit) for r in soap.recipe][:2] == [
        ("Olive oil", Decimal(100), "ml"),
        ("Lye", Decimal("12.5"), "g"),
    ]


async def test_a_recipe_that_mixes_weight_and_volume_without_density_is_refused(shop, codes, db_dump) -> None:
    before = db_dump()
    with pytest.raises(
        InvalidInput, match="Lavender oil is measured in ml; give a volume, or set its density"
    ):
        await products.add_product("Bad soap", "SOAP-BAD", codes=codes, recipe=[("Lavender oil", "2g")])
    assert db_dump() == before


async def test_cost_stays_exact_through_conversions(world_units) -> None:
    made = await production.make("SOAP-LAV", "4", made=MADE)
    # 400 ml of 1000 ml for 9.10, 50 g of 1000 g for 4.00, 8 ml of 100 ml for 25.00, 4 of 12 jars for 12.00
    assert made.total_cost == Decimal("3.64") + Decimal("0.20") + Decimal("2.00") + Decimal("4.00")
    assert made.unit_cost == Decimal("2.4600")


async def test_make_keeps_planned_and_weighed_quantities(world_units) -> None:
    oil = world_units["oil"]
    reading = Quantity(Decimal("0.37"), BY_SYMBOL["kg"])  # a scale in kg: 370 g of oil = 406.593... ml
    use = await lot_use.weighed(oil, reading)
    assert (use.lot, use.qty, use.unit) == (oil, Decimal("406.593"), "ml")
    assert use.given == "0.37 kg = 406.593 ml (rounded from 406.593406593407… ml)"
    made = await production.make("SOAP-LAV", "4", made=MADE, use={oil: reading, world_units["lye"]: "49.5 g"})
    by_lot = {c.lot: (c.qty, c.planned) for c in made.consumed}
    assert by_lot[oil] == (Decimal("406.593"), Decimal(400))
    assert by_lot[world_units["lye"]] == (Decimal("49.5"), Decimal(50))
    assert by_lot[world_units["lavender"]] == (Decimal(8), Decimal(8))  # proposed: planned = used
    rows = await Consumption.filter(batch__code=made.lot).values_list(
        "source__code", "qty_milli", "planned_milli"
    )
    assert (oil, 406_593, 400_000) in rows


async def test_planned_quantity_is_spread_over_the_lots_named_for_a_line(world_units) -> None:
    second = (await rx("Olive oil", "1 l")).lot
    made = await production.make("SOAP-LAV", "4", made=MADE, use={world_units["oil"]: "300", second: "120"})
    by_lot = {c.lot: (c.qty, c.planned) for c in made.consumed}
    assert by_lot[world_units["oil"]] == (Decimal(300), Decimal(300))
    assert by_lot[second] == (Decimal(120), Decimal(100))  # the plans add up to the recipe's 400 ml


async def test_a_weighed_reading_in_another_dimension_is_refused(world_units) -> None:
    with pytest.raises(InvalidInput, match="Lavender oil is measured in ml; give a volume"):
        await lot_use.weighed(world_units["lavender"], Quantity(Decimal(5), BY_SYMBOL["g"]))


async def test_reorder_levels_take_units(shop) -> None:
    lye = await Material.get(name="Lye")
    assert lye.reorder_milli == 2_500_000
    low = await inventory.low_stock()
    assert [(row.material, row.reorder, row.unit) for row in low] == [("Lye", Decimal(2500), "g")]


async def test_scanning_a_case_gtin_names_the_pack_and_receives_one_case(shop, codes) -> None:
    result = await resolve(CASE_GTIN, codes)
    assert (result.kind, result.code, result.pack) == ("material", "Amber jar 120 ml", "case")
    assert "one case (12 pcs)" in result.message
    label = await read_supplier_label("(01)05012345000015(10)JB-88", codes)
    assert (label.material, label.pack, label.default_qty, label.supplier_lot) == (
        "Amber jar 120 ml",
        "case",
        "1 case",
        "JB-88",
    )
    assert label.default_qty is not None
    received = await inventory.receive(label.material, label.default_qty, supplier="Acme")
    assert received.qty == Decimal(12)
    single = await resolve(JAR_GTIN, codes)
    assert (single.kind, single.pack) == ("material", None)


async def test_material_packs_and_density_are_listed_and_edited(shop) -> None:
    (jar,) = [m for m in await editing.list_materials() if m.name == "Amber jar 120 ml"]
    assert (jar.packs, jar.codes) == (("case=12 pcs",), ("5012345000015=case", JAR_GTIN))
    (oil,) = [m for m in await editing.list_materials() if m.name == "Olive oil"]
    assert (oil.density, oil.packs) == (Decimal("0.91"), ("drum=25 l",))
    # The catalog screen saves without density or packs: both are kept.
    await editing.update_material("Olive oil", new_name="Olive oil", unit="ml", reorder="1 l")
    (oil,) = [m for m in await editing.list_materials() if m.name == "Olive oil"]
    assert (oil.density, oil.packs, oil.reorder) == (Decimal("0.91"), ("drum=25 l",), Decimal(1000))
    # A pack grows, another is added; the code given back as listed keeps its pack.
    await editing.update_material(
        jar.name, new_name=jar.name, unit="pcs", codes=jar.codes, packs=["case=24", "pallet=1200"]
    )
    assert await MaterialPack.filter(material__name=jar.name).order_by("id").values_list("name", "size") == [
        ("case", "24 pcs"),
        ("pallet", "1200 pcs"),
    ]
    assert (await rx("Amber jar 120 ml", "1 case")).qty == Decimal(24)
    # Dropping the case pack (and the code's mention of it) leaves the code on single jars.
    await editing.update_material(jar.name, new_name=jar.name, unit="pcs", codes=[CASE_GTIN], packs=[])
    code = await SupplierCode.get(code=CASE_GTIN)
    assert code.pack_id is None  # type: ignore[attr-defined]
    await editing.update_material("Olive oil", new_name="Olive oil", unit="ml", density="")
    with pytest.raises(InvalidInput, match="set its density"):
        await rx("Olive oil", "1 kg")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: catalog.add_material("Wax", "g", density="0"), "density 0 must be more than zero"),
        (lambda: catalog.add_material("Wax", "g", density="910"), "is not plausible"),
        (
            lambda: catalog.add_material("Wicks", "pcs", density="1"),
            "only weights and volumes have a density",
        ),
        (lambda: catalog.add_material("Wax", "g", packs=["case=12 pcs"]), "give its size as a weight"),
        (lambda: catalog.add_material("Wax", "g", packs=["kg=12"]), "is a unit; choose another word"),
        (lambda: catalog.add_material("Jar", "pcs", packs=["case=1.5"]), "holds a whole number"),
        (lambda: catalog.add_material("Wax", "g", codes=["4006381333931=box"]), "has no pack 'box'"),
        (lambda: catalog.add_material("Wax", "g", reorder="3 l"), "Wax is measured in g; give a weight"),
    ],
)
async def test_bad_units_density_and_packs_are_refused_and_write_nothing(
    shop, db_dump, call, message
) -> None:
    before = db_dump()
    with pytest.raises(InvalidInput, match=message):
        await call()
    assert db_dump() == before


async def test_an_intermediate_product_with_a_density_is_used_by_weight(shop, codes) -> None:
    await products.add_product("Lavender blend", "BLEND-LAV", codes=codes, unit="ml", density="0.9")
    await products.add_product("Tiny soap", "SOAP-TINY", codes=codes, recipe=[("BLEND-LAV", "1.8g")])
    (tiny,) = [p for p in await editing.list_products() if p.sku == "SOAP-TINY"]
    assert [(r.item, r.qty, r.unit) for r in tiny.recipe] == [("BLEND-LAV", Decimal(2), "ml")]
    (blend,) = [p for p in await editing.list_products() if p.sku == "BLEND-LAV"]
    assert blend.density == Decimal("0.9")
    with pytest.raises(InvalidInput, match="SOAP-LAV is counted in pcs; give a number of pieces, not grams"):
        await products.add_product("Gift box", "BOX-1", codes=codes, recipe=[("SOAP-LAV", "100g")])


def test_the_catalog_screens_recipe_text_takes_units() -> None:
    assert editing.parse_recipe("olive oil 300 g; Amber jar 200 ml 1; FRAG-LAV 2.5; Oil 2 fl oz") == (
        ("olive oil", "300 g"),
        ("Amber jar 200 ml", "1"),
        ("FRAG-LAV", "2.5"),
        ("Oil", "2 fl oz"),
    )
