"""Label profiles from the command line: a product's profile and label fields (`product edit`),
a fragrance's CLP data (`material clp`), and `purge` of label records past their retention.

Thin shells over `tui.services.profiles` and `tui.services.retention`; the `material` group gets
`edit` from `stockroom` and `clp` here (the lazy table points at this module for both groups).
"""

from __future__ import annotations

from datetime import date

import click

from tui.cli import stockroom
from tui.cli.base import CliContext, emit_json, main, pass_cli, run
from tui.cli.core import material, product
from tui.services import profiles, retention
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


@main.command("purge")
@click.option("--yes", is_flag=True, help="Remove them (without it: only say what would go).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@pass_cli
def purge_cmd(cli: CliContext, yes: bool, as_json: bool) -> None:
    """Remove label records (image and printed fields) past their retention date, and say what is
    kept and until when. A dry run unless --yes. Batches, the ledger and traces are never purged."""

    async def work(store: Store) -> retention.Purge:
        return await retention.purge(date.today(), apply=yes)

    done = run(cli, work)
    if as_json:
        emit_json(done.to_json())
        return
    verb = "removed" if done.applied else "would remove"
    click.echo(f"{verb} {len(done.removed)} label record(s) past their retention date")
    for r in done.removed:
        until = r.keep_until.isoformat() if r.keep_until else "-"
        click.echo(f"  job {r.job}  {r.lot or '-'}  {r.profile}  kept until {until}")
    for k in done.kept:
        what = f"{k.profile} label record(s)" if k.profile else "label record(s) with no retention rule"
        when = f", the first may go after {k.next_date.isoformat()}" if k.next_date else ", kept for good"
        click.echo(f"kept {k.jobs} {what}{when}")
    if not done.applied and done.removed:
        click.echo("nothing removed: run lotkeeper purge --yes to remove them")
