"""`lotkeeper import ...`: orders from Shopify, Etsy and Square, and the files a new user starts from.

The file is read before the store is opened, so a missing file is reported without touching
anything. A refused import (bad rows without --skip-bad) is one `error:` line naming every row
and reason, exit 2, and nothing written; --dry-run prints the same report as the real import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from tui.cli.base import CliContext, emit_json, fail, main, pass_cli, run
from tui.codes.scan import printable
from tui.errors import InvalidInput, LotkeeperError
from tui.imports import ExportFormat, ImportOptions, ImportRefused, Problem, StartingKind, read_text_file
from tui.services.order_import import OrderImport, UnmatchedLine, import_orders
from tui.services.starting_import import StartingImport, import_starting
from tui.store.db import Store

T = TypeVar("T")

SHOWN = 20
"""Rows listed per section in the text report (all of them are in --json)."""


@main.group("import")
def import_group() -> None:
    """Bring in orders from Etsy, Shopify and Square, or the catalog and stock you start with."""


def _options(func: Callable[..., None]) -> Callable[..., None]:
    func = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(func)
    func = click.option("--skip-bad", is_flag=True, help="Import the good rows, list the bad ones.")(func)
    func = click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")(func)
    return click.argument("file", type=click.Path(dir_okay=True))(func)


def _read(path: str) -> str:
    try:
        return read_text_file(path)
    except LotkeeperError as exc:
        fail(exc.message)


def refused_line(exc: ImportRefused) -> str:
    """The refusal on one line (the CLI's errors are one line): every row and its reason."""
    count = len(exc.problems)
    rows = "; ".join(str(p) for p in exc.problems)
    return (
        f"{count} bad row{'s' if count != 1 else ''}, nothing imported (fix "
        f"{'them' if count != 1 else 'it'}, or use --skip-bad to import the other rows): {rows}"
    )


def _refusals_on_one_line(call: Callable[[], Awaitable[T]]) -> Callable[[Store], Awaitable[T]]:
    async def work(_: Store) -> T:
        try:
            return await call()
        except ImportRefused as exc:
            raise InvalidInput(refused_line(exc)) from exc

    return work


@import_group.command("orders")
@_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    help="The export's kind; detected from its header when left out.",
)
@pass_cli
def import_orders_cmd(
    cli: CliContext, file: str, fmt: str | None, dry_run: bool, skip_bad: bool, as_json: bool
) -> None:
    """Import an order export: Shopify orders, Etsy EtsySoldOrderItems / EtsySoldOrders, Square items."""
    text = _read(file)
    options = ImportOptions(skip_bad=skip_bad, dry_run=dry_run)

    def call() -> Awaitable[OrderImport]:
        return import_orders(text, fmt, options=options, station=cli.config.store.station)

    report = run(cli, _refusals_on_one_line(call), create=not dry_run)
    if as_json:
        emit_json(report.to_json())
    else:
        click.echo(orders_text(report))


def _starting_command(kind: StartingKind) -> click.Command:
    @_options
    @pass_cli
    def command(cli: CliContext, file: str, dry_run: bool, skip_bad: bool, as_json: bool) -> None:
        text = _read(file)
        options = ImportOptions(skip_bad=skip_bad, dry_run=dry_run)

        def call() -> Awaitable[StartingImport]:
            return import_starting(
                kind, text, options=options, codes=cli.config.codes, station=cli.config.store.station
            )

        report = run(cli, _refusals_on_one_line(call), create=not dry_run)
        if as_json:
            emit_json(report.to_json())
        else:
            click.echo(starting_text(report))

    command.__doc__ = STARTING_HELP[kind]
    return click.command(kind.value)(command)


STARTING_HELP = {
    StartingKind.MATERIALS: "Import materials: columns name, unit, reorder, code (code2, code3...).",
    StartingKind.PRODUCTS: "Import products: columns name, sku, gtin, shelf_life, recipe (Oil=300; Lye=42).",
    StartingKind.CUSTOMERS: "Import customers: columns name, email, phone, address.",
    StartingKind.STOCK: "Import the stock on your shelves, one lot a row: columns material, qty, supplier, "
    "supplier_lot, expires, received, cost, location.",
}

for _kind in StartingKind:
    import_group.add_command(_starting_command(_kind))


def _section(title: str, problems: tuple[Problem, ...]) -> list[str]:
    if not problems:
        return []
    lines = [f"{title} ({len(problems)}):"]
    lines += [f"  {p}" for p in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"  ... and {len(problems) - SHOWN} more (--json lists them all)")
    return lines


def _unmatched(lines: tuple[UnmatchedLine, ...]) -> list[str]:
    if not lines:
        return []
    by_sku: dict[str, list[UnmatchedLine]] = defaultdict(list)
    for line in lines:
        by_sku[line.sku].append(line)
    out = [f"SKUs no product has yet ({len(by_sku)}; kept, packable once the product exists):"]
    for sku, found in list(by_sku.items())[:SHOWN]:
        rows = ", ".join(str(u.row) for u in found[:5]) + (", ..." if len(found) > 5 else "")
        out.append(
            f"  {sku}  {found[0].name}  ({len(found)} line{'s' if len(found) != 1 else ''}: row {rows})"
        )
    return out


def orders_text(report: OrderImport) -> str:
    out = [
        f"{report.format.value}: {report.orders_added} orders added, {report.orders_updated} updated, "
        f"{report.orders_unchanged} unchanged; {report.lines_added} lines added; "
        f"{report.customers_added} customers added"
        + (f", {report.customers_updated} completed" if report.customers_updated else "")
    ]
    if report.refunds_added or report.refunds_waiting:
        out.append(f"refunds: {report.refunds_added} added, {report.refunds_waiting} waiting for their sale")
    out += _unmatched(report.unmatched)
    duplicates = tuple(Problem(d.row, d.reason) for d in report.possible_duplicates)
    out += _section("possible duplicate customers", duplicates)
    out += _section("left out (bad rows)", report.problems)
    out += _section("notes", report.warnings)
    if report.dry_run:
        out.append("dry run: nothing was written")
    return "\n".join(printable(line) for line in out)


def starting_text(report: StartingImport) -> str:
    out = [f"{report.kind.value}: {len(report.added)} added, {report.unchanged} unchanged"]
    if report.updated:
        out[0] += f", {report.updated} completed"
    if report.suppliers_added:
        out.append(f"suppliers added: {', '.join(report.suppliers_added)}")
    if report.locations_added:
        out.append(f"locations added: {', '.join(report.locations_added)}")
    out += _section("left out (bad rows)", report.problems)
    out += _section("notes", report.warnings)
    if report.dry_run:
        out.append("dry run: nothing was written")
    return "\n".join(printable(line) for line in out)
