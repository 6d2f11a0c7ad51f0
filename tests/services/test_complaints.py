"""The complaint log: per batch, serious ones with their reporting deadlines, open until closed.
Refused input writes nothing. Runs on SQLite and PostgreSQL."""

from datetime import date

import orjson
import pytest

from tui.errors import InvalidInput, NotFound
from tui.services import catalog, complaints, inventory, overview, production, products
from tui.services.complaints import add_complaint, close_complaint, list_complaints
from tui.services.tracing import trace
from tui.store.models import Complaint

TODAY = date(2026, 3, 20)


@pytest.fixture
async def batch(world, codes) -> str:
    return (await production.make("BLEND-LAV", "30", made="2026-03-02", codes=codes)).lot


async def test_a_serious_complaint_shows_both_deadlines_until_closed(batch) -> None:
    added = await add_complaint(
        batch.lower(),
        "  Red rash on the forearm   after two days ",
        customer="jo@example.com",
        serious=True,
        received="2026-03-06",
        today=TODAY,
    )
    assert (added.lot, added.item, added.customer, added.received) == (
        batch,
        "BLEND-LAV",
        "Jo Bloggs",
        date(2026, 3, 6),
    )
    assert added.what == "Red rash on the forearm after two days"
    assert added.to_json()["deadlines"] == {"EU": "2026-03-26", "US": "2026-03-27"}
    assert added.to_json()["open"] is True
    assert added.alert(TODAY) == f"#{added.id} {batch} serious: report by EU 2026-03-26, US 2026-03-27"
    assert added.alert(date(2026, 3, 27)) == f"#{added.id} {batch} serious, report OVERDUE (EU 2026-03-26)"
    assert [c.id for c in await overview.open_complaints()] == [added.id]

    closed = await close_complaint(added.id, "Batch withdrawn; reported to the authority", today=TODAY)
    assert (closed.closed, closed.action, closed.is_open) == (
        TODAY,
        "Batch withdrawn; reported to the authority",
        False,
    )
    assert closed.overdue(date(2027, 1, 1)) == ()
    assert await overview.open_complaints() == []
    assert closed.to_json()["deadlines"] == {"EU": "2026-03-26", "US": "2026-03-27"}  # kept on record


async def test_a_minor_complaint_has_no_deadline_and_dates_default_to_today(batch) -> None:
    added = await add_complaint(batch, "Bottle cap cracked")
    assert (added.received, added.serious, added.deadlines, added.customer) == (date.today(), False, (), None)
    assert (
        added.alert(date.today())
        == f"#{added.id} {batch} open since {date.today()}: record the action to close it"
    )


async def test_list_puts_open_ones_first_and_filters(batch, codes) -> None:
    other = (await production.make("BLEND-LAV", "20", made="2026-03-03", codes=codes)).lot
    old = await add_complaint(batch, "Leaked", received="2026-03-04", today=TODAY)
    new = await add_complaint(other, "Smells off", received="2026-03-10", today=TODAY)
    closed = await add_complaint(batch, "Too small", received="2026-03-12", today=TODAY)
    await close_complaint(closed.id, "Refunded", today=TODAY)
    assert [c.id for c in await list_complaints()] == [new.id, old.id, closed.id]
    assert [c.id for c in await list_complaints(open_only=True)] == [new.id, old.id]
    assert [c.id for c in await list_complaints(lot=batch)] == [old.id, closed.id]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lot_code": "NOPE-1"}, NotFound, "no lot with code 'NOPE-1'"),
        ({"what": "   "}, InvalidInput, "what happened is empty"),
        ({"what": "x" * 2001}, InvalidInput, "what happened is too long"),
        ({"customer": "Nobody Here"}, NotFound, "no customer named 'Nobody Here'"),
        ({"received": "2026-03-21"}, InvalidInput, "complaint date 2026-03-21 is in the future"),
        ({"received": "21st"}, InvalidInput, "complaint date '21st' is not a date"),
    ],
)
async def test_refused_complaints_write_nothing(batch, db_dump, kwargs, error, message) -> None:
    before = db_dump()
    args = {"lot_code": batch, "what": "Rash"} | kwargs
    with pytest.raises(error, match=message):
        await add_complaint(args.pop("lot_code"), args.pop("what"), today=TODAY, **args)
    assert db_dump() == before


async def test_a_material_lot_is_refused_with_where_to_look(batch, world, db_dump) -> None:
    before = db_dump()
    with pytest.raises(
        InvalidInput, match=rf"{world.lye} is a material lot: .*\(lotkeeper trace {world.lye} lists"
    ):
        await add_complaint(world.lye, "Rash", today=TODAY)
    assert db_dump() == before


async def test_closing_is_checked_and_happens_once(batch, db_dump) -> None:
    added = await add_complaint(batch, "Rash", received="2026-03-10", today=TODAY)
    before = db_dump()
    wrongs: list[tuple[int, str, str | None, str]] = [
        (added.id + 1, "Refunded", None, f"no complaint {added.id + 1}"),
        (added.id, "", None, "action taken is empty"),
        (added.id, "Refunded", "2026-03-09", "closing date 2026-03-09 is before complaint"),
        (added.id, "Refunded", "2026-03-21", "closing date 2026-03-21 is in the future"),
    ]
    for number, action, closed, message in wrongs:
        with pytest.raises((InvalidInput, NotFound), match=message):
            await close_complaint(number, action, closed=closed, today=TODAY)
        assert db_dump() == before
    await close_complaint(added.id, "Refunded", closed="2026-03-10", today=TODAY)
    with pytest.raises(InvalidInput, match=r"already closed on 2026-03-10"):
        await close_complaint(added.id, "Again", today=TODAY)
    row = await Complaint.get(id=added.id)
    assert (row.action, row.closed_on) == ("Refunded", date(2026, 3, 10))


def test_the_view_serialises_every_key() -> None:
    view = complaints.ComplaintView(1, "L1", "SKU", None, date(2026, 3, 2), "x", False, None, None, ())
    assert list(view.to_json()) == [
        "id", "lot", "item", "customer", "received", "what", "serious",
        "action", "closed", "open", "deadlines",
    ]  # fmt: skip


async def test_a_trace_shows_the_complaints_on_its_batches(batch, world) -> None:
    assert (await trace(world.lavender)).complaints == ()  # none logged: the key is an empty list
    minor = await add_complaint(batch, "Cloudy", received="2026-03-05", today=TODAY)
    serious = await add_complaint(batch, "Rash", serious=True, received="2026-03-04", today=TODAY)
    await add_complaint(await _other_batch(), "Unrelated", today=TODAY)
    for code in (batch, world.lavender):  # the batch itself, and the material lot that went into it
        found = await trace(code)
        assert [c.id for c in found.complaints] == [serious.id, minor.id]
        document = found.to_json()
        assert document["complaints"][0] == serious.to_json()
        assert orjson.loads(b"".join(found.json_chunks())) == document
    assert (await trace(world.lye)).complaints == ()


async def _other_batch() -> str:
    from tui.config import CodesConfig

    await catalog.add_material("Wax", "g")
    await products.add_product("Candle", "CANDLE-1", codes=CodesConfig(), recipe=[("Wax", "100")])
    await inventory.receive("Wax", "1000", supplier="Acme Oils", codes=CodesConfig())
    return (await production.make("CANDLE-1", "2", codes=CodesConfig())).lot
