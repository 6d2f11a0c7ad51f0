"""What every report shares: its date range, its money in the shop's currency, and its table.

A report is a frozen dataclass with `to_json()` (the CLI contract's keys) and `table()`: one
`Table` of plain text cells, which is both the CSV (`--out FILE.csv`) and what the Reports
screen shows, so the two never disagree. Money is integer cents in the store and a decimal
string here (`money`); quantities are decimal strings too.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from tui.codes.dates import DateOrder, read_date
from tui.errors import InvalidInput
from tui.store.quantities import CENT, MILLI, fmt_money


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included; None is open on that side."""

    start: date | None = None
    end: date | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }

    def bounds(self) -> tuple[date, date]:
        """Both ends as dates (open ends as the first and last day there is), for SQL."""
        return self.start or date(1, 1, 1), self.end or date(9999, 12, 31)


def read_day(text: str | None, what: str, order: DateOrder | None = None) -> date | None:
    """A typed date, or None when nothing was typed."""
    if text is None or not text.strip():
        return None
    return read_date(text, order, what)


def read_period(start: str | None, end: str | None, order: DateOrder | None = None) -> Period:
    """`--from` and `--to` as typed: each a date or empty; refused when they are the wrong way round."""
    period = Period(read_day(start, "--from date", order), read_day(end, "--to date", order))
    if period.start and period.end and period.start > period.end:
        raise InvalidInput(
            f"--from {period.start.isoformat()} is after --to {period.end.isoformat()}: swap them"
        )
    return period


def end_of_day(day: date) -> datetime:
    """The first instant after `day` ends on this machine's clock, in UTC (how the ledger is kept)."""
    local = datetime.combine(day + timedelta(days=1), time()).astimezone()
    return local.astimezone(UTC)


def money(cents: int | None) -> str | None:
    """Cents as a decimal string with two places ("12.30"); None stays None (cost unknown)."""
    return None if cents is None else fmt_money(cents)


def share_cents(total_cents: int | None, part_milli: int, whole_milli: int) -> int | None:
    """What `part_milli` of a lot of `whole_milli` that cost `total_cents` cost, to the cent."""
    if total_cents is None or whole_milli <= 0:
        return None
    exact = Decimal(total_cents) * part_milli / whole_milli
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def per_unit(total_cents: int | None, qty_milli: int) -> str | None:
    """Cost of one unit, to 4 places (a gram of oil costs fractions of a cent)."""
    if total_cents is None or qty_milli <= 0:
        return None
    value = Decimal(total_cents) * CENT * MILLI / qty_milli
    return format(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), "f")


@dataclass(frozen=True)
class Table:
    """A report as rows of text: the CSV file, and the Reports screen's table."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def cells(*values: object) -> tuple[str, ...]:
    """Plain text cells: None empty, decimals without exponent, dates ISO."""
    out = []
    for value in values:
        if value is None:
            out.append("")
        elif isinstance(value, Decimal):
            out.append(format(value, "f"))
        elif isinstance(value, date):
            out.append(value.isoformat())
        else:
            out.append(str(value))
    return tuple(out)


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`;
    a negative number stays a number."""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            Decimal(text)
        except ArithmeticError:
            return "'" + text
    return text


def csv_target(path: Path | str) -> Path:
    """Where a report's CSV goes: a file whose name ends in .csv, not a folder."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder: give a file name, e.g. {target / 'report.csv'}")
    if target.suffix.lower() != ".csv":
        raise InvalidInput(
            f"{target} is not a .csv file name: give one such as {target.stem or 'report'}.csv"
        )
    return target


def write_csv(table: Table, path: Path | str) -> Path:
    """Write the table (header first) to `path`, whole or not at all; the name must end in .csv."""
    target = csv_target(path)
    partial = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(table.columns)
            writer.writerows([_safe(c) for c in row] for row in table.rows)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {target}: {exc.strerror}; choose another folder") from exc
    return target


def in_code_point_order(sql: str) -> dict[str, str]:
    """`sql` for each dialect, `{C}` after a text sort key made code point order on both (PostgreSQL
    would sort by the server's locale, SQLite sorts by code point), so both list rows alike."""
    return {"sqlite": sql.replace("{C}", ""), "postgres": sql.replace("{C}", ' COLLATE "C"')}


def total_of(values: Sequence[int | None]) -> int:
    return sum(v for v in values if v is not None)
