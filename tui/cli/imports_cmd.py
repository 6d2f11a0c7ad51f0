"""`lotkeeper import ...`: orders from Shopify, Etsy and Square, and the files a new user starts from.

The file is read before the store is opened, so a missing file is reported without touching
anything. A refused import (bad rows without --skip-bad) is one `error:` line naming every row
and reason, exit 2, and nothing written; --dry-run prints the same report as the real import.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from tui.cli.base import CliContext, emit_json, fail, main, pass_cli, run
from tui.errors import InvalidInput, LotkeeperError
from tui.imports import ExportFormat, ImportOptions, ImportRefused, StartingKind, read_text_file
from tui.services.import_report import orders_text, starting_text
from tui.services.order_import import OrderImport, import_orders
from tui.services.starting_import import StartingImport, import_starting
from tui.store.db import Store

T = TypeVar("T")


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
