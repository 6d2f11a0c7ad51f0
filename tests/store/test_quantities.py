"""Quantities and money are exact: at the edges (parsing, formatting) and as sums in SQL."""

import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tortoise.connection import get_connection

from tui.errors import InvalidInput
from tui.services import catalog, inventory
from tui.store.quantities import fmt_money, fmt_qty, from_milli, to_cents, to_milli, unit_cost


@given(st.decimals(min_value=Decimal("-999999999.999"), max_value=Decimal("999999999.999"), places=3))
def test_thousandths_round_trip_exactly(value):
    milli = to_milli(value, allow_negative=True, allow_zero=True)
    assert from_milli(milli) == value
    assert Decimal(fmt_qty(milli)) == value
    assert "E" not in fmt_qty(milli)


@pytest.mark.parametrize(
    ("text", "milli"),
    [("1", 1000), ("1,5", 1500), (" 0.001 ", 1), ("250.000", 250000), ("1e3", 1_000_000)],
)
def test_to_milli_accepts_what_people_type(text, milli):
    assert to_milli(text) == milli


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "quantity must be more than zero"),
        ("-1", "quantity -1 is negative"),
        ("abc", "quantity 'abc' is not a number"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("0.0001", "more than 3 decimal places"),
        ("1" * 16, "too large"),
    ],
)
def test_to_milli_refuses_with_a_sentence(text, message):
    with pytest.raises(InvalidInput, match=message):
        to_milli(text)


def test_formatting_and_money():
    assert [fmt_qty(m) for m in (0, 1, 1500, 250000, -2500)] == ["0", "0.001", "1.5", "250", "-2.5"]
    assert (to_cents("12.3"), to_cents("0"), fmt_money(1234), fmt_money(5)) == (1230, 0, "12.34", "0.05")
    with pytest.raises(InvalidInput, match="more than 2 decimal places"):
        to_cents("0.001")
    assert unit_cost(1000, 3000) == Decimal("3.3333")  # 10.00 for 3 units
    assert unit_cost(None, 3000) is None
    assert unit_cost(100, 0) is None


async def test_sums_in_sql_equal_decimal_sums(store):
    """Awkward quantities and costs (0.1 + 0.2 is not 0.3 in floating point) add up exactly in SQL."""
    rng = random.Random(2026)
    qtys = [Decimal("0.1"), Decimal("0.2"), Decimal("0.7"), Decimal("333.333")]
    qtys += [Decimal(rng.randint(1, 10**7)) / 1000 for _ in range(30)]
    costs = [Decimal(rng.randint(1, 10**6)) / 100 for _ in qtys]
    wasted = [Decimal(rng.randint(0, int(q * 1000))) / 1000 for q in qtys]
    await catalog.add_supplier("Acme Oils")
    await catalog.add_material("Olive oil", "g")
    for qty, cost, waste in zip(qtys, costs, wasted, strict=True):
        lot = (await inventory.receive("Olive oil", qty, supplier="Acme Oils", cost=cost)).lot
        if waste:
            await inventory.waste(lot, waste, reason="test")

    conn = get_connection("default")
    [row] = await conn.execute_query_dict(
        "SELECT SUM(on_hand_milli) AS on_hand, SUM(qty_milli) AS received, SUM(cost_cents) AS cost FROM lot"
    )
    [ledger] = await conn.execute_query_dict("SELECT SUM(delta_milli) AS total FROM movement")
    assert from_milli(row["received"]) == sum(qtys)
    assert from_milli(row["on_hand"]) == from_milli(ledger["total"]) == sum(qtys) - sum(wasted)
    assert Decimal(row["cost"]) / 100 == sum(costs)
    assert sum(r.on_hand for r in await inventory.stock()) == sum(qtys) - sum(wasted)
