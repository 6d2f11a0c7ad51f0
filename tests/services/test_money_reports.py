"""Money reports on both backends: valuation at past dates from the ledger, COGS through an
intermediate, waste valued, the batch record, expiring and reorder.

The `world` workshop (tests/conftest.py), with every ledger row dated the day it happened:
received 10 January; 30 ml BLEND-LAV made 1 February from 30 ml of lavender oil (25.00 for
100 ml: 7.50); 10 SOAP-LAV made 2 March from 1000 g of the old olive oil (10.00), 125 g of lye
(0.50) and 20 ml of the blend (20/30 of 7.50 = 5.00): 15.50, 1.55 a bar; 10 g of the new oil
(36.00 for 3000 g) thrown away on 5 March.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest

from tui.errors import InvalidInput, NotFound
from tui.services import catalog, inventory, production, sales
from tui.services.batch_record import batch_record
from tui.services.money import cogs, valuation
from tui.services.report_tables import Period, read_period
from tui.services.stock_reports import expiring, reorder, waste
from tui.store.models import JobStatus, LabelJob, Lot, Movement


@dataclass(frozen=True)
class Books:
    blend: str
    soap: str


async def dated(day: date, after: int) -> int:
    """Date the ledger rows after id `after` to noon of `day` on this machine's clock; the last id."""
    await Movement.filter(id__gt=after).update(at=datetime.combine(day, time(12)).astimezone())
    last: int = await Movement.all().order_by("-id").first().values_list("id", flat=True)  # type: ignore[assignment]
    return last


@pytest.fixture
async def books(world, codes) -> Books:
    seen = await dated(date(2026, 1, 10), 0)
    blend = await production.make("BLEND-LAV", "30", made="2026-02-01", codes=codes)
    seen = await dated(date(2026, 2, 1), seen)
    soap = await production.make("SOAP-LAV", "10", made="2026-03-02", codes=codes)
    seen = await dated(date(2026, 3, 2), seen)
    await inventory.waste(world.oil_new, "10", reason="spilled", station="till")
    await dated(date(2026, 3, 5), seen)
    return Books(blend.lot, soap.lot)


def values(report) -> dict[str, tuple[str, str | None]]:
    return {line["lot"]: (line["on_hand"], line["value"]) for line in report.to_json()["lines"]}


async def test_valuation_at_past_dates_reads_the_ledger_up_to_that_day(world, books):
    before = await valuation(date(2026, 1, 9), "GBP")
    assert before.to_json() == {"at": "2026-01-09", "currency": "GBP", "total": "0.00", "lines": []}
    received = await valuation(date(2026, 1, 31), "GBP")
    assert received.to_json()["total"] == "80.00"
    assert values(received) == {
        world.oil_new: ("3000", "36.00"),
        world.oil_old: ("1000", "10.00"),
        world.oil_expired: ("500", "5.00"),
        world.lye: ("1000", "4.00"),
        world.lavender: ("100", "25.00"),
    }
    made = await valuation(date(2026, 3, 2), "GBP")
    assert values(made) == {
        world.oil_new: ("3000", "36.00"),
        world.oil_expired: ("500", "5.00"),
        world.lye: ("875", "3.50"),
        world.lavender: ("70", "17.50"),
        books.blend: ("10", "2.50"),
        books.soap: ("10", "15.50"),
    }  # the old oil is used up: no line; cost moved into the batches, none appeared or vanished
    assert made.to_json()["total"] == "80.00"
    assert [line["item"] for line in made.to_json()["lines"]][-2:] == ["BLEND-LAV", "SOAP-LAV"]
    after_waste = await valuation(date(2026, 3, 5), "GBP")
    assert values(after_waste)[world.oil_new] == ("2990", "35.88")
    assert after_waste.to_json()["total"] == "79.88"
    assert (await valuation(date(2026, 3, 4), "GBP")).to_json()["total"] == "80.00"


async def test_valuation_leaves_a_lot_without_a_cost_out_of_the_total(world, codes):
    await inventory.receive("Lye", "200", supplier="Acme Oils", codes=codes)
    report = (await valuation(date.today(), "EUR")).to_json()
    free = [line for line in report["lines"] if line["value"] is None]
    assert [(line["item"], line["on_hand"]) for line in free] == [("Lye", "200")]
    assert report["total"] == "80.00"


async def test_cogs_costs_a_batch_through_the_intermediate_it_used(world, books):
    await catalog.add_customer("Sam Shop")
    await sales.sell("Jo Bloggs", [("SOAP-LAV", "4")], channel="market", sold_on="2026-03-10")
    await sales.sell(
        "Sam Shop", [("SOAP-LAV", "2"), ("BLEND-LAV", "5")], channel="wholesale", sold_on="2026-03-20"
    )
    await sales.sell("Jo Bloggs", [("SOAP-LAV", "1")], sold_on="2026-04-01")
    march = await cogs(read_period("2026-03-01", "2026-03-31"), "GBP")
    assert march.to_json() == {
        "from": "2026-03-01",
        "to": "2026-03-31",
        "currency": "GBP",
        "total": "10.55",
        "batches": [
            {"batch": books.blend, "product": "BLEND-LAV", "made": "2026-02-01", "qty": "5",
             "unit_cost": "0.2500", "cost": "1.25"},
            {"batch": books.soap, "product": "SOAP-LAV", "made": "2026-03-02", "qty": "6",
             "unit_cost": "1.5500", "cost": "9.30"},
        ],
        "products": [
            {"product": "BLEND-LAV", "batches": 1, "qty": "5", "cost": "1.25", "unknown_cost_batches": 0},
            {"product": "SOAP-LAV", "batches": 1, "qty": "6", "cost": "9.30", "unknown_cost_batches": 0},
        ],
    }  # fmt: skip
    everything = await cogs(Period(), "GBP")
    assert everything.to_json()["total"] == "12.10"  # April's bar too
    assert (await cogs(read_period("2026-04-02", None), "GBP")).lines == ()


async def test_waste_is_listed_with_its_value_reason_and_station(world, books):
    report = (await waste(read_period("2026-03-05", "2026-03-05"), "GBP")).to_json()
    assert report == {
        "from": "2026-03-05",
        "to": "2026-03-05",
        "currency": "GBP",
        "total": "0.12",
        "lines": [
            {"date": "2026-03-05", "lot": world.oil_new, "item": "Olive oil", "qty": "10", "unit": "g",
             "value": "0.12", "reason": "spilled", "station": "till"},
        ],
    }  # fmt: skip
    assert (await waste(read_period("2026-03-06", None), "GBP")).lines == ()
    assert (await waste(read_period(None, "2026-03-04"), "GBP")).lines == ()


async def test_batch_record_lists_lots_used_planned_and_actual_and_labels_printed(world, books):
    soap = await Lot.get(code=books.soap)
    await LabelJob.create(lot=soap, printer="ql", template="batch", copies=10, status=JobStatus.SENT)
    await LabelJob.create(lot=soap, printer="ql", template="batch", copies=2, status=JobStatus.FAILED)
    record = (await batch_record(books.soap.lower(), "GBP")).to_json()
    assert {k: v for k, v in record.items() if k not in ("inputs", "labels")} == {
        "lot": books.soap,
        "sku": "SOAP-LAV",
        "product": "Lavender soap",
        "qty": "10",
        "unit": "pcs",
        "made": "2026-03-02",
        "best_before": "2027-03-02",
        "station": "bench",
        "currency": "GBP",
        "cost": "15.50",
        "unit_cost": "1.5500",
        "labels_printed": 10,
    }
    assert [tuple(i.values()) for i in record["inputs"]] == [
        (world.oil_old, "Olive oil", "1000", "1000", "g", "10.00"),
        (world.lye, "Lye", "125", "125", "g", "0.50"),
        (books.blend, "BLEND-LAV", "20", "20", "ml", "5.00"),
    ]
    assert list(record["inputs"][0]) == ["lot", "item", "planned", "actual", "unit", "cost"]
    assert [(j["copies"], j["status"]) for j in record["labels"]] == [(10, "sent"), (2, "failed")]
    with pytest.raises(InvalidInput, match="is a material lot, not a batch"):
        await batch_record(world.lye, "GBP")
    with pytest.raises(NotFound):
        await batch_record("NOPE-1", "GBP")


async def test_expiring_and_reorder(world, books):
    soon = (await expiring(60, date(2026, 5, 15), "GBP")).to_json()
    assert [(line["lot"], line["days_left"], line["value"]) for line in soon["lines"]] == [
        (world.oil_expired, -103, "5.00"),
    ]  # the old oil (30 June) went into the soap
    assert soon["total"] == "5.00"
    with pytest.raises(InvalidInput, match="negative"):
        await expiring(-1, date(2026, 5, 15), "GBP")
    # Olive oil's reorder level is 2000 g: 2990 g usable until it expires at the end of 2026
    assert (await reorder(date(2026, 3, 6))).to_json() == []
    assert (await reorder(date(2027, 1, 1))).to_json() == [
        {"material": "Olive oil", "on_hand": "0", "reorder": "2000", "short": "2000", "unit": "g"}
    ]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-02-30", None, "--from date '2026-02-30' is not a date"),
        (None, "yesterday", "--to date 'yesterday' is not a date"),
        ("2026-03-02", "2026-03-01", "--from 2026-03-02 is after --to 2026-03-01"),
    ],
)
def test_bad_periods_are_refused(start, end, message):
    with pytest.raises(InvalidInput, match=message):
        read_period(start, end)
    assert read_period("20260301", "") == Period(date(2026, 3, 1), None)
