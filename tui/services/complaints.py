"""The complaint and adverse-event log: what a customer reported about a batch, and what was done.

A complaint is about one batch (a lot we made and sold; a material lot is refused: the complaint
belongs to the batch it went into). A serious one carries reporting deadlines counted from the
day it was received (`tui.compliance.deadlines`), shown until it is closed; closing it records
the action taken. Nothing is ever deleted: a closed complaint stays on record with its batch.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from tui.compliance.deadlines import Deadline, reporting_deadlines
from tui.errors import InvalidInput, NotFound
from tui.services.catalog import clean_text, find_customer, find_lot, parse_day
from tui.store.db import writing
from tui.store.models import Complaint, LotKind

TEXT_LENGTH = 2000
"""At most this many characters for what happened and for the action taken."""


@dataclass(frozen=True)
class ComplaintView:
    """One complaint as a person (or a script) reads it."""

    id: int
    lot: str
    item: str
    """The batch's product SKU."""
    customer: str | None
    received: date
    what: str
    serious: bool
    action: str | None
    closed: date | None
    deadlines: tuple[Deadline, ...]
    """Reporting deadlines (serious ones only), whether or not it is closed."""

    @property
    def is_open(self) -> bool:
        return self.closed is None

    def overdue(self, today: date) -> tuple[Deadline, ...]:
        """Deadlines already past while the complaint is still open."""
        return tuple(d for d in self.deadlines if d.due < today) if self.is_open else ()

    def alert(self, today: date) -> str:
        """One line for Home while it is open: the nearest deadline first, or how long it has waited."""
        head = f"#{self.id} {self.lot}"
        late = self.overdue(today)
        if late:
            return f"{head} serious, report OVERDUE ({', '.join(f'{d.market} {d.due}' for d in late)})"
        if self.deadlines:
            due = sorted(self.deadlines, key=lambda d: d.due)
            return f"{head} serious: report by {', '.join(f'{d.market} {d.due}' for d in due)}"
        return f"{head} open since {self.received}: record the action to close it"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "lot": self.lot,
            "item": self.item,
            "customer": self.customer,
            "received": self.received.isoformat(),
            "what": self.what,
            "serious": self.serious,
            "action": self.action,
            "closed": None if self.closed is None else self.closed.isoformat(),
            "open": self.is_open,
            "deadlines": {d.market: d.due.isoformat() for d in self.deadlines},
        }


def _view(row: Complaint) -> ComplaintView:
    received = parse_day(row.received_on) or date.min
    return ComplaintView(
        id=row.id,
        lot=row.lot.code,
        item=row.lot.product.sku if row.lot.product else "",
        customer=row.customer.name if row.customer else None,
        received=received,
        what=row.what,
        serious=row.serious,
        action=row.action,
        closed=parse_day(row.closed_on),
        deadlines=reporting_deadlines(received, serious=row.serious),
    )


async def _load(complaint_id: int) -> ComplaintView:
    row = await Complaint.get(id=complaint_id).prefetch_related("lot__product", "customer")
    return _view(row)


def _day(value: date | str | None, what: str, today: date | None) -> date:
    """A typed day (default today) that is not in the future."""
    now = today or date.today()
    day = parse_day(value, what) or now
    if day > now:
        raise InvalidInput(f"{what} {day} is in the future: give the day it happened (today is {now})")
    return day


async def add_complaint(
    lot_code: str,
    what: str,
    *,
    customer: str | None = None,
    serious: bool = False,
    received: date | str | None = None,
    today: date | None = None,
) -> ComplaintView:
    """Log a complaint about a batch; every input is checked before anything is written."""
    text = clean_text(what, "what happened", TEXT_LENGTH)
    day = _day(received, "complaint date", today)
    async with writing():
        lot = await find_lot(lot_code)
        if lot.kind != LotKind.BATCH:
            raise InvalidInput(
                f"{lot.code} is a material lot: log the complaint against the batch that reached the "
                f"customer (lotkeeper trace {lot.code} lists the batches it went into)"
            )
        who = await find_customer(customer) if customer is not None else None
        row = await Complaint.create(lot=lot, customer=who, received_on=day, what=text, serious=serious)
    return await _load(row.id)


async def close_complaint(
    complaint_id: int, action: str, *, closed: date | str | None = None, today: date | None = None
) -> ComplaintView:
    """Record the action taken and close the complaint (once)."""
    text = clean_text(action, "action taken", TEXT_LENGTH)
    day = _day(closed, "closing date", today)
    async with writing():
        row = await Complaint.get_or_none(id=complaint_id)
        if row is None:
            raise NotFound(f"no complaint {complaint_id}: lotkeeper complaint list shows their numbers")
        if row.closed_on is not None:
            raise InvalidInput(f"complaint {complaint_id} was already closed on {parse_day(row.closed_on)}")
        opened = parse_day(row.received_on) or day
        if day < opened:
            raise InvalidInput(
                f"closing date {day} is before complaint {complaint_id} was received ({opened})"
            )
        row.action, row.closed_on = text, day
        await row.save(update_fields=["action", "closed_on"])
    return await _load(complaint_id)


async def list_complaints(*, open_only: bool = False, lot: str | None = None) -> list[ComplaintView]:
    """Complaints, open ones first, each group newest first; only one batch's with `lot`."""
    query = Complaint.all()
    if open_only:
        query = query.filter(closed_on__isnull=True)
    if lot is not None:
        query = query.filter(lot_id=(await find_lot(lot)).id)
    rows = await query.order_by("-received_on", "-id").prefetch_related("lot__product", "customer")
    views = [_view(row) for row in rows]
    return [v for v in views if v.is_open] + [v for v in views if not v.is_open]


async def complaints_on(batches: Collection[str]) -> tuple[ComplaintView, ...]:
    """Complaints about any of these batches, oldest first (what a trace shows beside its batches).

    The log is short (a maker's complaints, not their sales): its lot codes are read in one query
    and matched here, rather than sending a recall's thousands of batch codes to the database.
    """
    wanted = set(batches)
    if not wanted:
        return ()
    logged = await Complaint.all().values_list("id", "lot__code")
    ids = [complaint_id for complaint_id, code in logged if code in wanted]
    if not ids:
        return ()
    rows = (
        await Complaint.filter(id__in=ids)
        .order_by("received_on", "id")
        .prefetch_related("lot__product", "customer")
    )
    return tuple(_view(row) for row in rows)
