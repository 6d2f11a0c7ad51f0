"""A recall list: who got what from a traced lot, with the contact details to reach them.

One row per customer, order and batch, so a letter can say exactly which batch the customer
received. The CSV is what a maker mails, prints or opens in a spreadsheet: cells that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are written with a leading `'`.
A mock-recall drill (how long from scanning the lot to having the list) is kept in the event
log, because an inspector asks when the last drill was and how long it took.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from tui.errors import InvalidInput
from tui.services.catalog import get_station
from tui.services.tracing import Trace, TraceNode
from tui.store.models import Event


@dataclass(frozen=True)
class RecallRow:
    customer: str
    email: str
    phone: str
    address: str
    order: str
    sold_on: date | None
    batch: str
    product: str
    qty: Decimal | None
    unit: str


def _sales(node: TraceNode) -> Iterator[tuple[TraceNode, TraceNode]]:
    """(batch, sale) pairs anywhere below `node`."""
    for child in node.children:
        if child.kind == "sale":
            yield node, child
        else:
            yield from _sales(child)


def _order_sales(trace: Trace) -> Iterator[tuple[TraceNode, TraceNode]]:
    """An order's batches hang off its root in the backward tree; the root is the sale."""
    for batch in trace.backward.children:
        yield (
            batch,
            TraceNode(
                trace.code,
                "sale",
                batch.item,
                batch.qty,
                batch.unit,
                trace.backward.dated,
                customer=trace.backward.customer,
                order=trace.code,
            ),
        )


WALK_IN = "(walk-in sale, no contact)"
"""The customer column of a sale recorded without a customer (a market sale)."""


async def recall_rows(trace: Trace) -> list[RecallRow]:
    """Every customer who received anything made from (or in) the traced code, with contacts.

    Contacts come with the trace, order by order: two customers may share a name.
    """
    pairs = list(_order_sales(trace) if trace.kind == "order" else _sales(trace.forward))
    contacts = {
        order: (c.email or "", c.phone or "", c.address or "") for c in trace.customers for order in c.orders
    }
    rows = set()
    for batch, sale in pairs:
        order = sale.order or sale.code
        email, phone, address = contacts.get(order, ("", "", ""))
        rows.add(
            RecallRow(
                sale.customer or WALK_IN,
                email,
                phone,
                address,
                order,
                sale.dated,
                batch.code,
                sale.item,
                sale.qty,
                sale.unit,
            )
        )
    return sorted(rows, key=lambda r: (r.customer.casefold(), r.order, r.batch))


def default_recall_path(folder: Path, code: str, now: datetime) -> Path:
    """`recall-<code>-<yyyymmdd-hhmmss>.csv` in `folder`; the code made safe for any file system."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", code).strip("._") or "trace"
    return folder / f"recall-{safe[:40]}-{now:%Y%m%d-%H%M%S}.csv"


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_recall_csv(rows: Sequence[RecallRow], path: Path | str) -> Path:
    """Write the list (header first) to `path`, all at once: a half-written list is never left behind."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder: give a file name, e.g. {target / 'recall.csv'}")
    partial = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow([f.name for f in fields(RecallRow)])
            writer.writerows([_cell(v) for v in astuple(row)] for row in rows)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(
            f"cannot write the recall list to {target}: {exc.strerror}; choose another folder"
        ) from exc
    return target


async def record_drill(code: str, seconds: float, customers: int, station: str) -> None:
    """Log a finished mock-recall drill in the event log."""
    await Event.create(
        kind="recall_drill",
        message=f"mock recall of {code}: {customers} customer(s) listed in {seconds:.1f} s",
        station=await get_station(station),
    )
