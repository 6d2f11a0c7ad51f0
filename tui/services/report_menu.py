"""The reports as a menu: what each one asks for, and running one from what was typed.

The Reports screen offers these; what a field means and how typed text is read lives here, so
the screen only gathers text and shows the `Table` it gets back. The CLI reads the same
services directly, with its own options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from tui.codes.dates import DateOrder
from tui.errors import InvalidInput
from tui.services import batch_record, money, stock_reports
from tui.services.report_tables import Table, read_day, read_period

ReportName = Literal["cogs", "valuation", "sales", "waste", "expiring", "reorder", "batch"]
Field = Literal["period", "at", "days", "lot", ""]


class Report(Protocol):
    def to_json(self) -> Any: ...

    def table(self) -> Table: ...


@dataclass(frozen=True)
class Kind:
    title: str
    field: Field
    """What the report asks for beyond itself: a period, a day, days ahead or a batch."""
    hint: str


REPORTS: dict[ReportName, Kind] = {
    "cogs": Kind(
        "Cost of goods sold", "period", "Cost of what was sold From-To, per batch (empty: all time)"
    ),
    "valuation": Kind(
        "Stock value", "at", "What the stock was worth at the end of the day typed (empty: today)"
    ),
    "sales": Kind("Sales by channel", "period", "Units and orders per product and channel From-To"),
    "waste": Kind("Waste", "period", "Stock thrown away From-To, with its value and reason"),
    "expiring": Kind("Expiring", "days", "Lots with stock expiring within the days typed (empty: 30)"),
    "reorder": Kind("Reorder", "", "Materials below their reorder level"),
    "batch": Kind("Batch record", "lot", "Type or scan a batch code: its lots, costs and labels"),
}
"""In the order the screen lists them."""

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Asked:
    """What was typed on the Reports screen, as text."""

    name: ReportName
    start: str = ""
    end: str = ""
    extra: str = ""
    """Days ahead (expiring) or a batch code (batch)."""


@dataclass(frozen=True)
class Produced:
    report: Report
    table: Table
    summary: str


def _days(text: str) -> int:
    if not text.strip():
        return DEFAULT_DAYS
    if not text.strip().isdigit():
        raise InvalidInput(f"days {text.strip()!r} is not a whole number: type e.g. 30")
    return int(text.strip())


async def produce(asked: Asked, *, today: date, currency: str, order: DateOrder | None) -> Produced:
    """Run the report asked for; bad text is refused with what to type, before any query."""
    report: Report
    summary = ""
    if asked.name in ("cogs", "sales", "waste"):
        period = read_period(asked.start, asked.end, order)
        if asked.name == "cogs":
            cogs = await money.cogs(period, currency)
            report, summary = cogs, f"total {cogs.to_json()['total']} {currency}"
        elif asked.name == "sales":
            report = await stock_reports.sales(period)
        else:
            wasted = await stock_reports.waste(period, currency)
            report, summary = wasted, f"total {wasted.to_json()['total']} {currency}"
    elif asked.name == "valuation":
        day = read_day(asked.end, "day", order) or today
        valued = await money.valuation(day, currency)
        report, summary = (
            valued,
            f"total {valued.to_json()['total']} {currency} at the end of {day.isoformat()}",
        )
    elif asked.name == "expiring":
        soon = await stock_reports.expiring(_days(asked.extra), today, currency)
        report, summary = soon, f"total {soon.to_json()['total']} {currency}"
    elif asked.name == "reorder":
        report = await stock_reports.reorder(today)
    else:
        if not asked.extra.strip():
            raise InvalidInput("type or scan the code of a batch first")
        record = await batch_record.batch_record(asked.extra, currency)
        report = record
        head = record.to_json()
        summary = (
            f"{record.lot}: {head['qty']} {record.unit} {record.sku}, made {head['made']}, "
            f"cost {head['cost'] or 'unknown'} {currency}, {record.labels_printed} label(s) printed"
        )
    table = report.table()
    return Produced(report, table, summary or f"{len(table.rows)} row(s)")
