"""The money and stock reports: `batch`, `cogs`, `valuation`, `expiring`, `reorder`, `sales`,
`waste`. Thin shells over `tui.services` (money, stock_reports, batch_record).

Every one prints a table, or with `--json` one document (its keys a contract), or with
`--out FILE.csv` writes the same rows to a file. Dates are YYYY-MM-DD or YYYYMMDD; a date that
is not one, or a range the wrong way round, is `error:` and exit 2 before the store is opened.
Money is a decimal string in the shop's currency (`[shop] currency`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

import click

from tui.cli.base import CliContext, emit_json, fail, pass_cli, run
from tui.codes.scan import printable
from tui.errors import LotkeeperError
from tui.services import batch_record, money, stock_reports
from tui.services.report_tables import Period, Table, csv_target, read_day, read_period, write_csv
from tui.store.db import Store


class Report(Protocol):
    def to_json(self) -> Any: ...

    def table(self) -> Table: ...


def _checked(read: Callable[[], Any]) -> Any:
    """Options read before the store is opened: a bad one is `error:` and nothing else happens."""
    try:
        return read()
    except LotkeeperError as exc:
        fail(exc.message)


def show_table(table: Table, empty: str) -> None:
    if not table.rows:
        click.echo(empty)
        return
    rows = [table.columns, *table.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(table.columns))]
    for row in rows:
        click.echo(printable("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()))


def deliver(report: Report, as_json: bool, out: str | None, empty: str, footer: str = "") -> None:
    """--out writes the CSV (and says where), --json prints the document, else the table."""
    if out:
        written = _checked(lambda: write_csv(report.table(), out))
        click.echo(f"wrote {len(report.table().rows)} row(s) to {written}", err=as_json)
    if as_json:
        emit_json(report.to_json())
    elif not out:
        show_table(report.table(), empty)
        if footer:
            click.echo(printable(footer))


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(f)


def _out_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Checked before the store is opened: a wrong name costs no query."""
    if value is not None:
        _checked(lambda: csv_target(value))
    return value


def out_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--out", metavar="FILE.csv", callback=_out_path, help="Write the rows to a CSV file."
    )(f)


def period_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--to", "end", metavar="DATE", help="Last day (YYYY-MM-DD), included.")(f)
    return click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD), included.")(f)


def _period(start: str | None, end: str | None) -> Period:
    period: Period = _checked(lambda: read_period(start, end))
    return period


def _currency(cli: CliContext) -> str:
    return cli.config.shop.currency_code()


@click.command("batch")
@click.argument("lot")
@json_option
@out_option
@pass_cli
def batch_cmd(cli: CliContext, lot: str, as_json: bool, out: str | None) -> None:
    """The record of batch LOT: what it made, the lots it used, where, and its labels."""

    async def work(store: Store) -> batch_record.BatchRecord:
        return await batch_record.batch_record(lot, _currency(cli))

    record = run(cli, work)
    if as_json or out:
        deliver(record, as_json, out, "")
        return
    head = record.to_json()
    click.echo(printable(f"Batch {record.lot}: {head['qty']} {record.unit} {record.sku} ({record.product})"))
    click.echo(
        f"made {head['made']}, best before {head['best_before'] or '-'}, at station {record.station or '-'}"
    )
    click.echo(f"cost {head['cost'] or 'unknown'} {record.currency} ({head['unit_cost'] or '?'} a unit)")
    show_table(record.table(), "no lots used")
    click.echo(f"labels printed: {record.labels_printed} ({len(record.labels)} job(s))")


@click.command("cogs")
@period_options
@json_option
@out_option
@pass_cli
def cogs_cmd(cli: CliContext, start: str | None, end: str | None, as_json: bool, out: str | None) -> None:
    """Cost of the goods sold between --from and --to: per batch, per product and in total."""
    period = _period(start, end)

    async def work(store: Store) -> money.Cogs:
        return await money.cogs(period, _currency(cli))

    report = run(cli, work)
    totals = "; ".join(f"{p.product} {p.to_json()['cost']}" for p in report.products)
    footer = f"total {report.to_json()['total']} {report.currency}" + (f" ({totals})" if totals else "")
    deliver(report, as_json, out, "nothing sold in that period", footer)


@click.command("valuation")
@click.option(
    "--at", "at", metavar="DATE", help="Value the stock as it stood at the end of this day (default today)."
)
@json_option
@out_option
@pass_cli
def valuation_cmd(cli: CliContext, at: str | None, as_json: bool, out: str | None) -> None:
    """What every lot on the shelf was worth at the end of a day, at its exact cost."""
    day: date = _checked(lambda: read_day(at, "--at date")) or date.today()

    async def work(store: Store) -> money.Valuation:
        return await money.valuation(day, _currency(cli))

    report = run(cli, work)
    footer = f"total {report.to_json()['total']} {report.currency} at the end of {day.isoformat()}"
    deliver(report, as_json, out, "no stock at the end of that day", footer)


@click.command("expiring")
@click.option("--days", default=30, show_default=True, type=int, help="Lots expiring within this many days.")
@json_option
@out_option
@pass_cli
def expiring_cmd(cli: CliContext, days: int, as_json: bool, out: str | None) -> None:
    """Lots with stock that expire within --days (those already expired first)."""

    async def work(store: Store) -> stock_reports.Expiring:
        return await stock_reports.expiring(days, date.today(), _currency(cli))

    deliver(run(cli, work), as_json, out, f"nothing expires within {days} day(s)")


@click.command("reorder")
@json_option
@out_option
@pass_cli
def reorder_cmd(cli: CliContext, as_json: bool, out: str | None) -> None:
    """Materials below their reorder level (set with `lotkeeper material edit NAME --reorder QTY`)."""

    async def work(store: Store) -> stock_reports.Reorder:
        return await stock_reports.reorder(date.today())

    deliver(run(cli, work), as_json, out, "nothing to reorder")


@click.command("sales")
@period_options
@json_option
@out_option
@pass_cli
def sales_cmd(cli: CliContext, start: str | None, end: str | None, as_json: bool, out: str | None) -> None:
    """Units sold and orders per product and channel between --from and --to."""
    period = _period(start, end)

    async def work(store: Store) -> stock_reports.Sales:
        return await stock_reports.sales(period)

    deliver(run(cli, work), as_json, out, "no sales in that period")


@click.command("waste")
@period_options
@json_option
@out_option
@pass_cli
def waste_cmd(cli: CliContext, start: str | None, end: str | None, as_json: bool, out: str | None) -> None:
    """Stock thrown away between --from and --to, with its value and reason."""
    period = _period(start, end)

    async def work(store: Store) -> stock_reports.Waste:
        return await stock_reports.waste(period, _currency(cli))

    report = run(cli, work)
    footer = f"total {report.to_json()['total']} {report.currency}"
    deliver(report, as_json, out, "no waste recorded in that period", footer)
