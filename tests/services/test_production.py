"""Production: the FEFO proposal, explicit lots, intermediates, costing; all or nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tui.errors import ExpiredLot, InsufficientStock, InvalidInput, NotFound, RecipeDeviation
from tui.services import catalog, inventory, lot_use, production, products
from tui.store.models import CodeCounter, Consumption, Event, Lot, LotKind, Movement, MovementKind

MADE = date(2026, 3, 2)


async def _blend(codes, qty="50") -> str:
    return (await production.make("BLEND-LAV", qty, made=MADE, codes=codes)).lot


async def _on_hand(code: str) -> int:
    return (await Lot.get(code=code)).on_hand_milli


async def test_proposal_is_first_expiring_first_and_skips_expired_lots(world, codes):
    blend = await _blend(codes)
    proposal = await production.propose("soap-lav", "12", made=MADE)
    assert proposal.ok
    assert [(line.lot, line.item, line.qty, line.explicit) for line in proposal.lines] == [
        (world.oil_old, "Olive oil", Decimal(1000), False),  # expires first, though received later
        (world.oil_new, "Olive oil", Decimal(200), False),
        (world.lye, "Lye", Decimal(150), False),
        (blend, "BLEND-LAV", Decimal(24), False),
    ]


async def test_proposal_ignores_lots_that_arrived_after_the_made_date(world):
    proposal = await production.propose("SOAP-LAV", "1", made="2026-01-07")
    # On 7 January the (later) expired lot was still good and expires first; lye came on the 8th.
    assert [line.lot for line in proposal.lines] == [world.oil_expired]
    assert [(s.item, s.needed, s.available) for s in proposal.shortages] == [
        ("Lye", Decimal("12.5"), Decimal(0)),
        ("BLEND-LAV", Decimal(2), Decimal(0)),
    ]


async def test_make_consumes_links_and_costs_through_an_intermediate(world, codes):
    blend = await production.make("BLEND-LAV", "50", made=MADE, codes=codes)
    assert (blend.lot, blend.unit_cost, blend.total_cost) == (
        "BLEND260302-01",
        Decimal("0.25"),
        Decimal("12.50"),
    )
    assert blend.best_before == MADE + timedelta(days=180)

    soap = await production.make("SOAP-LAV", "12", made=MADE, codes=codes, station="bench 2")
    assert soap.lot == "SOAP260302-01"
    assert soap.best_before == date(2027, 3, 2)
    assert [(c.lot, c.qty) for c in soap.consumed] == [
        (world.oil_old, Decimal(1000)),
        (world.oil_new, Decimal(200)),
        (world.lye, Decimal(150)),
        (blend.lot, Decimal(24)),
    ]
    # 10.00 (1000 of 1000 g for 10.00) + 2.40 (200 of 3000 g for 36.00) + 0.60 (150 of 1000 g for
    # 4.00) + 6.00 (24 of 50 ml of blend costing 12.50) = 19.00 for 12 bars.
    assert (soap.total_cost, soap.unit_cost) == (Decimal("19.00"), Decimal("1.5833"))

    batch = await Lot.get(code=soap.lot).prefetch_related("product", "station")
    assert (batch.kind, batch.product.sku, batch.qty_milli, batch.on_hand_milli, batch.cost_cents) == (
        LotKind.BATCH,
        "SOAP-LAV",
        12000,
        12000,
        1900,
    )
    assert (batch.dated, batch.expires, batch.station.name) == (MADE, date(2027, 3, 2), "bench 2")
    edges = await Consumption.filter(batch=batch).order_by("id").values_list("source__code", "qty_milli")
    assert edges == [
        (world.oil_old, 1_000_000),
        (world.oil_new, 200_000),
        (world.lye, 150_000),
        (blend.lot, 24_000),
    ]
    # The genealogy reaches through the blend to the lavender oil lot.
    assert await Consumption.filter(batch__code=blend.lot).values_list("source__code", flat=True) == [
        world.lavender
    ]

    moves = await Movement.filter(ref=soap.lot).order_by("id").values_list("lot__code", "kind", "delta_milli")
    assert moves == [
        (soap.lot, MovementKind.PRODUCE, 12000),
        (world.oil_old, MovementKind.CONSUME, -1_000_000),
        (world.oil_new, MovementKind.CONSUME, -200_000),
        (world.lye, MovementKind.CONSUME, -150_000),
        (blend.lot, MovementKind.CONSUME, -24_000),
    ]
    assert [await _on_hand(c) for c in (world.oil_old, world.oil_new, blend.lot)] == [0, 2_800_000, 26_000]


async def test_explicit_lots_replace_the_proposal_for_their_material(world, codes):
    await _blend(codes)
    made = await production.make(
        "SOAP-LAV", "10", use={world.oil_new.lower(): "600", world.oil_old: "410.5"}, made=MADE, codes=codes
    )
    oil = [(c.lot, c.qty) for c in made.consumed if c.item == "Olive oil"]
    assert oil == [(world.oil_new, Decimal(600)), (world.oil_old, Decimal("410.5"))]
    assert await _on_hand(world.oil_old) == 589_500


async def test_product_without_costed_inputs_has_unknown_cost(world, codes):
    await catalog.add_material("Wick", "pcs")
    await products.add_product("Candle", "CANDLE", codes=codes, recipe=[("Wick", "1")])
    await inventory.receive("Wick", "10", supplier="Acme Oils", received="2026-01-10")
    made = await production.make("CANDLE", "3", made=MADE, codes=codes)
    assert (made.unit_cost, made.total_cost, made.best_before) == (None, None, None)
    assert (await Lot.get(code=made.lot)).cost_cents is None


async def test_recipe_amounts_round_to_a_thousandth_but_never_to_nothing(world, codes):
    await products.add_product(
        "Sample", "SAMPLE", codes=codes, unit="ml", recipe=[("Lye", "0.333"), ("Lavender oil", "0.001")]
    )
    proposal = await production.propose("SAMPLE", "1.5", made=MADE)
    assert [line.qty for line in proposal.lines] == [Decimal("0.5"), Decimal("0.002")]
    proposal = await production.propose("SAMPLE", "0.1", made=MADE)
    assert [line.qty for line in proposal.lines] == [Decimal("0.033"), Decimal("0.001")]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            {"qty": "12"},
            InsufficientStock,
            "cannot make 12 SOAP-LAV: not enough BLEND-LAV: need 24 ml, 20 ml usable",
        ),
        (
            {"qty": "41"},
            InsufficientStock,
            "not enough Olive oil: need 4100 g, 4000 g usable (expired lots are not counted); not enough",
        ),
        ({"qty": "1", "use": {"OIL_EXPIRED": "100"}}, ExpiredLot, "expired on 2026-02-01: use another lot"),
        (
            {"qty": "1", "use": {"LAVENDER": "1"}},
            InvalidInput,
            "(Lavender oil) is not in the recipe of SOAP-LAV",
        ),
        (
            {"qty": "1", "use": {"OIL_OLD": "1000.001"}},
            InsufficientStock,
            "has only 1000 g on hand, not 1000.001 g",
        ),
        ({"qty": "1", "use": {"OIL_OLD": "0"}}, InvalidInput, "must be more than zero"),
        ({"qty": "1", "use": {"M000000-000": "1"}}, NotFound, "no lot with code 'M000000-000'"),
        (
            {"qty": "1", "made": "2026-01-06", "use": {"LYE": "12.5"}},
            InvalidInput,
            "after the batch was made",
        ),
        ({"qty": "0"}, InvalidInput, "quantity must be more than zero"),
        ({"qty": "-1"}, InvalidInput, "negative"),
        ({"qty": "ten"}, InvalidInput, "not a number"),
        ({"qty": "1", "made": "2026-3-2x"}, InvalidInput, "made date '2026-3-2x' is not a date"),
        ({"qty": "1", "sku": "SOAP-ROSE"}, NotFound, "no product with SKU 'SOAP-ROSE'"),
    ],
)
async def test_refused_batches_write_nothing(world, codes, db_dump, args, error, message):
    await _blend(codes, "20")
    lots = {
        "OIL_EXPIRED": world.oil_expired,
        "LAVENDER": world.lavender,
        "OIL_OLD": world.oil_old,
        "LYE": world.lye,
    }
    use = {lots.get(code, code): qty for code, qty in args.get("use", {}).items()}
    before = db_dump()
    with pytest.raises(error) as caught:
        await production.make(
            args.get("sku", "SOAP-LAV"), args["qty"], use=use, made=args.get("made", MADE), codes=codes
        )
    assert message in caught.value.message
    assert db_dump() == before
    assert await CodeCounter.filter(key__startswith="SOAP").count() == 0


async def test_a_scanned_lot_takes_what_the_recipe_still_needs(world, codes) -> None:
    await production.make("BLEND-LAV", "30", made=MADE, codes=codes)
    first = await lot_use.suggest_use("SOAP-LAV", "12", world.oil_old, made=MADE)
    assert first == lot_use.LotUse(world.oil_old, "Olive oil", "g", Decimal(1000))  # all it holds
    second = await lot_use.suggest_use(
        "SOAP-LAV", "12", world.oil_new, made=MADE, use={world.oil_old: "1000"}
    )
    assert second.qty == Decimal(200)  # 1200 g needed, 1000 g already scanned
    alone = await lot_use.suggest_use("SOAP-LAV", "12", world.oil_new, made=MADE)
    assert alone.qty == Decimal(1200)


async def test_a_scanned_empty_lot_is_refused(world, codes) -> None:
    await inventory.waste(world.lye, "1000", reason="spilled")
    with pytest.raises(InsufficientStock, match="has nothing on hand: scan another lot"):
        await lot_use.suggest_use("SOAP-LAV", "1", world.lye, made=MADE)


async def test_named_amounts_that_stray_from_the_recipe_are_refused_unless_meant(world, codes, db_dump):
    """250 g where the recipe says 500 g: refused, nothing written; meant: recorded with both."""
    await _blend(codes)
    before = db_dump()
    use = {world.oil_new: "250"}
    proposal = await production.propose("SOAP-LAV", "5", made=MADE, use=use)
    assert [(d.item, d.planned, d.actual, d.percent) for d in proposal.deviations] == [
        ("Olive oil", Decimal(500), Decimal(250), Decimal(-50))
    ]
    with pytest.raises(RecipeDeviation) as caught:
        await production.make("SOAP-LAV", "5", use=use, made=MADE, codes=codes)
    assert "Olive oil: 250 g used where the recipe says 500 g (50 % less)" in caught.value.message
    assert db_dump() == before
    made = await production.make("SOAP-LAV", "5", use=use, made=MADE, codes=codes, allow_deviation=True)
    assert [(d.planned, d.actual) for d in made.deviations] == [(Decimal(500), Decimal(250))]
    oil = [(c.lot, c.qty, c.planned) for c in made.consumed if c.item == "Olive oil"]
    assert oil == [(world.oil_new, Decimal(250), Decimal(500))]
    [event] = await Event.filter(kind="recipe_deviation")
    assert event.message == (
        f"batch {made.lot}: Olive oil: 250 g used where the recipe says 500 g (50 % less), recorded as made"
    )


async def test_within_the_tolerance_a_named_amount_is_just_used(world, codes):
    await _blend(codes)
    use = {world.oil_new: "550"}  # 10 % more than 500 g
    assert (await production.propose("SOAP-LAV", "5", made=MADE, use=use)).deviations == ()
    strict = await production.propose("SOAP-LAV", "5", made=MADE, use=use, tolerance_pct=5)
    assert [d.describe() for d in strict.deviations] == [
        "Olive oil: 550 g used where the recipe says 500 g (10 % more)"
    ]
    made = await production.make("SOAP-LAV", "5", use=use, made=MADE, codes=codes)
    assert made.deviations == ()
    assert not await Event.filter(kind="recipe_deviation").exists()
