"""`weigh`: the next stable weight from a bench scale, the check that a scale is set up right."""

from __future__ import annotations

import asyncio

import click

from tui.cli.base import CliContext, emit_json, fail, main, pass_cli
from tui.errors import LotkeeperError

TIMEOUT_S = 10.0
"""Time to put a container on the pan and let it settle."""


@main.command("weigh")
@click.option("--scale", "scale_name", metavar="NAME", help="A [[scales]] name (default: the first).")
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0.5, max=3600),
    default=TIMEOUT_S,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for a stable weight.",
)
@click.option("--json", "as_json", is_flag=True, help='One JSON object: {"scale", "qty", "unit", "stable"}.')
@pass_cli
def weigh_cmd(cli: CliContext, scale_name: str | None, timeout_s: float, as_json: bool) -> None:
    """Print the next stable weight on the scale, then exit (error and exit 2 if none comes in time)."""
    # Imported here: every other command starts without loading the scale drivers.
    from tui.codes.units import format_decimal
    from tui.devices.scales import find_scale, weigh_once

    try:
        cfg = find_scale(cli.config.scales, scale_name)
        reading = asyncio.run(weigh_once(cfg, timeout_s))
    except LotkeeperError as exc:
        fail(exc.message)
    qty, unit = format_decimal(reading.quantity.value), reading.quantity.unit.symbol
    if as_json:
        emit_json({"scale": reading.source, "qty": qty, "unit": unit, "stable": reading.stable})
    else:
        click.echo(f"{qty} {unit}")
        click.echo(f"(scale {reading.source}, {reading.protocol}, stable)", err=True)
