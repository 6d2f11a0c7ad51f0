"""`lotkeeper stock`: the lots on the shelf, as a table or JSON.

`stock --all` lists every lot a store ever had (360,000 on one years old), so it works on the
query's plain rows: no row object, `Decimal` or `date` per lot. JSON is written as the rows are
read, a few thousand at a time (`inventory.stock_chunks`), never all held; the table needs every
row for its column widths (`inventory.stock_columns`) and is written a block of lines at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import aclosing
from operator import itemgetter

import click

from tui.cli.base import CliContext, batched, emit_json_stream, main, pass_cli, run
from tui.services import inventory
from tui.services.inventory import StockColumns
from tui.store.db import Store

HEADER = ("Lot", "Item", "On hand", "Expires", "Location")
BLOCK = 5000
"""Table lines written at once."""


@main.command()
@click.option("--all", "include_empty", is_flag=True, help="Include used-up lots.")
@click.option("--location", metavar="CODE", help="Only the lots kept there.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def stock(cli: CliContext, include_empty: bool, location: str | None, as_json: bool) -> None:
    """Every lot with stock: materials, then batches, first-expiring first."""

    if as_json:

        async def write(store: Store) -> None:
            async with aclosing(inventory.stock_chunks(include_empty, location)) as chunks:
                await emit_json_stream(_records(rows) async for rows in chunks)

        run(cli, write)
        return

    async def work(store: Store) -> Sequence[StockColumns]:
        return await inventory.stock_columns(include_empty=include_empty, location=location)

    rows = run(cli, work)
    if not rows:
        click.echo("no stock")
        return
    line = "  ".join(f"{{:<{width}}}" for width in _widths(rows)).format
    click.echo(line(*HEADER).rstrip())
    qty = inventory.qty_text
    for block in batched(rows, BLOCK):
        click.echo(
            "\n".join(
                [
                    line(code, item, f"{qty(milli)} {unit}", str(expires or ""), place or "").rstrip()
                    for code, item, milli, unit, expires, _, place in block
                ]
            )
        )


def _widths(rows: Sequence[StockColumns]) -> list[int]:
    """Each column's width (the header's or the longest cell's), read off the rows column by
    column without making the table's cells first."""
    qty = inventory.qty_text
    amounts = {(milli, unit) for _, _, milli, unit, _, _, _ in rows}
    cells = (
        max(map(len, map(itemgetter(0), rows))),
        max(map(len, map(itemgetter(1), rows))),
        max(len(qty(milli)) + 1 + len(unit) for milli, unit in amounts),
        max((len(str(expires)) for _, _, _, _, expires, _, _ in rows if expires is not None), default=0),
        max(len(place or "") for *_, place in rows),
    )
    return [max(len(title), cell) for title, cell in zip(HEADER, cells, strict=True)]


def _records(rows: Sequence[StockColumns]) -> Iterator[dict[str, object]]:
    """The JSON objects of `stock --json`; `expires` is a date or ISO text: both print the same."""
    qty = inventory.qty_text
    for code, item, milli, unit, expires, _, place in rows:
        yield {
            "lot": code,
            "item": item,
            "on_hand": qty(milli),
            "unit": unit,
            "expires": expires,
            "location": place,
        }
