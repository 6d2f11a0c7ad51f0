"""Corrections from the command line: adjust, waste and count a lot (each one ledger row).

Thin shells over `tui.services.inventory`, like the daily commands in `tui.cli.core`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict

import click

from tui.cli.base import CliContext, emit_json, main, pass_cli, run
from tui.cli.core import NUMBERS_AS_ARGUMENTS
from tui.services import inventory
from tui.services.inventory import Adjusted
from tui.store.db import Store
from tui.store.models import MovementKind


def _correction(cli: CliContext, as_json: bool, call: Callable[[str], Awaitable[Adjusted]]) -> None:
    async def work(store: Store) -> Adjusted:
        return await call(store.station)

    result = run(cli, work)
    if as_json:
        emit_json(asdict(result))
    else:
        click.echo(f"{result.lot}: {result.on_hand} {result.unit} on hand")


@main.command(context_settings=NUMBERS_AS_ARGUMENTS)
@click.argument("lot")
@click.argument("delta")
@click.option("--reason", required=True, help="Why (goes on the ledger).")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def adjust(cli: CliContext, lot: str, delta: str, reason: str, as_json: bool) -> None:
    """Add (DELTA > 0) or remove (DELTA < 0) stock from LOT."""
    _correction(
        cli,
        as_json,
        lambda station: inventory.adjust(
            lot, delta, reason=reason, kind=MovementKind.ADJUST, station=station
        ),
    )


@main.command(context_settings=NUMBERS_AS_ARGUMENTS)
@click.argument("lot")
@click.argument("qty")
@click.option("--reason", required=True, help="Why (spilled, spoiled, sample...).")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def waste(cli: CliContext, lot: str, qty: str, reason: str, as_json: bool) -> None:
    """Remove QTY of LOT as waste."""
    _correction(cli, as_json, lambda station: inventory.waste(lot, qty, reason=reason, station=station))


@main.command(context_settings=NUMBERS_AS_ARGUMENTS)
@click.argument("lot")
@click.argument("qty")
@click.option("--reason", required=True, help="E.g. 'stocktake'.")
@click.option("--json", "as_json", is_flag=True)
@pass_cli
def count(cli: CliContext, lot: str, qty: str, reason: str, as_json: bool) -> None:
    """Set LOT to the QTY counted on the shelf."""
    _correction(cli, as_json, lambda station: inventory.count(lot, qty, reason=reason, station=station))
