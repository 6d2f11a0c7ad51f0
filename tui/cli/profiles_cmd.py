"""Label profiles from the command line: a product's profile and label fields (`product edit`),
a fragrance's CLP data (`material clp`), and `purge` of label records past their retention.

Thin shells over `tui.services.profiles` and `tui.services.retention`; the `material` group gets
`edit` from `stockroom` and `clp` here (the lazy table points at this module for both groups).
"""

from __future__ import annotations

import click

from tui.cli import stockroom
from tui.cli.base import CliContext, main, pass_cli, run
from tui.cli.core import material, product
from tui.services import profiles
from tui.store.db import Store

__all__ = ["main", "material", "product", "stockroom"]


@product.command("edit")
@click.argument("sku")
@click.option(
    "--profile", metavar="P", help="cosmetic, candle, food, general, or none (the plain batch label)."
)
@click.option("--net", metavar="QTY", help="Net quantity printed on the label, e.g. 100g; '' removes it.")
@click.option("--pao", metavar="MONTHS", help="Cosmetics: period after opening in months; '' removes it.")
@click.option(
    "--rinse-off/--leave-on", "rinse_off", default=None, help="Cosmetics washed off after use, or not."
)
@pass_cli
def product_edit(
    cli: CliContext, sku: str, profile: str | None, net: str | None, pao: str | None, rinse_off: bool | None
) -> None:
    """Change a product's label profile and label fields; what is not given stays as it is."""

    async def work(store: Store) -> str:
        edited = await profiles.edit_label_fields(sku, profile=profile, net=net, pao=pao, rinse_off=rinse_off)
        return f"{edited.sku} (profile {edited.profile or 'none'})"

    click.echo(f"saved product {run(cli, work)}")


@material.command("clp")
@click.argument("name")
@click.option(
    "--load", required=True, metavar="PERCENT", help="The fragrance load this data is for, e.g. 10."
)
@click.option("--pictogram", "pictograms", multiple=True, metavar="GHS0N", help="A pictogram, e.g. GHS07.")
@click.option("--signal", default="", help="Signal word: Warning or Danger.")
@click.option(
    "--hazard", "hazards", multiple=True, metavar="TEXT", help='A hazard statement: "H317 May ...".'
)
@click.option("--precaution", "precautions", multiple=True, metavar="TEXT", help='"P280 Wear ..."')
@click.option("--contains", multiple=True, metavar="NAME", help="A substance the label names (Contains ...).")
@click.option("--ufi", default="", help="Unique formula identifier, XXXX-XXXX-XXXX-XXXX.")
@pass_cli
def material_clp(
    cli: CliContext,
    name: str,
    load: str,
    pictograms: tuple[str, ...],
    signal: str,
    hazards: tuple[str, ...],
    precautions: tuple[str, ...],
    contains: tuple[str, ...],
    ufi: str,
) -> None:
    """Record a fragrance's CLP label elements at a load, as its supplier's safety data sheet
    states them (they replace what was recorded for that load). Lotkeeper never classifies."""
    given = profiles.ClpInput(load, pictograms, signal, hazards, precautions, contains, ufi)

    async def work(store: Store) -> str:
        row = await profiles.set_material_clp(name, given)
        return f"saved CLP data of {name.strip()} at {row.load_milli / 1000:g} %"

    click.echo(run(cli, work))
