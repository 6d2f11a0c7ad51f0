"""The stockroom from the command line: editing a material's units and packs, locations, moving
lots, stocktakes by location, and a lot's history.

Thin shells over `tui.services` (editing, locations, moves, stocktake), like `core.py`; the
`--json` keys are a contract scripts rely on.
"""

from __future__ import annotations

import click

from tui.cli.base import CliContext, emit_json, main, pass_cli, run
from tui.cli.core import NUMBERS_AS_ARGUMENTS, material, split_pairs
from tui.codes.scan import printable
from tui.services import editing, locations, moves, stocktake
from tui.store.db import Store


@material.command("edit")
@click.argument("name")
@click.option("--name", "new_name", metavar="NEW_NAME", help="Rename it.")
@click.option("--unit", help="A new stock unit (only while it has no lots).")
@click.option("--reorder", metavar="QTY", help="Reorder level (units allowed; 0: never warn).")
@click.option("--density", metavar="G_PER_ML", help="Grams per millilitre; '' removes it.")
@click.option("--pack", "packs", multiple=True, metavar="NAME=SIZE", help="The full new set of pack sizes.")
@click.option("--no-packs", is_flag=True, help="Remove every pack size.")
@click.option(
    "--code", "codes", multiple=True, metavar="SUPPLIER_CODE[=PACK]", help="The full new set of codes."
)
@click.option("--no-codes", is_flag=True, help="Remove every supplier code.")
@click.option("--supplier", metavar="NAME", help="Supplier the codes belong to.")
@click.option("--inci", metavar="NAME", help="Its name in an ingredient list; '' removes it.")
@click.option(
    "--allergen",
    "allergens",
    multiple=True,
    metavar="NAME=PERCENT",
    help="The full new set of its allergens (fragrance: Linalool=2.5; food: milk).",
)
@click.option("--no-allergens", is_flag=True, help="Remove every allergen.")
@pass_cli
def material_edit(
    cli: CliContext,
    name: str,
    new_name: str | None,
    unit: str | None,
    reorder: str | None,
    density: str | None,
    packs: tuple[str, ...],
    no_packs: bool,
    codes: tuple[str, ...],
    no_codes: bool,
    supplier: str | None,
    inci: str | None,
    allergens: tuple[str, ...],
    no_allergens: bool,
) -> None:
    """Change a material; what is not given stays as it is."""

    async def work(store: Store) -> str:
        row = await editing.material_row(name)
        edited = await editing.update_material(
            row.name,
            new_name=new_name or row.name,
            unit=unit or row.unit,
            reorder=row.reorder if reorder is None else reorder,
            codes=() if no_codes else codes or row.codes,
            supplier=supplier,
            density=density,
            packs=() if no_packs else packs or None,
            inci=inci,
            allergens=() if no_allergens else allergens or None,
        )
        return edited.name

    click.echo(f"saved material {run(cli, work)}")


@main.group("location")
def location_group() -> None:
    """Locations: shelves, bins and fridges, each with a code its label carries."""


@location_group.command("add")
@click.argument("code")
@click.option("--name", help="What people call it (default: the code).")
@pass_cli
def location_add(cli: CliContext, code: str, name: str | None) -> None:
    """A location; print its label with `lotkeeper label CODE --template location`."""

    async def work(store: Store) -> str:
        added = await locations.add_location(code, name)
        return f"{added.code} ({added.name})"

    click.echo(f"added location {printable(run(cli, work, create=True))}")


@location_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def location_list(cli: CliContext, as_json: bool) -> None:
    """Every location, with how many lots with stock are kept there."""

    async def work(store: Store) -> list[locations.LocationRow]:
        return await locations.list_locations()

    rows = run(cli, work)
    if as_json:
        emit_json([{"code": r.code, "name": r.name, "lots": r.lots} for r in rows])
        return
    if not rows:
        click.echo("no locations: add one with lotkeeper location add CODE --name NAME")
    for r in rows:
        click.echo(printable(f"{r.code}  {r.name}  {r.lots} lot(s)"))


@main.command("move")
@click.argument("lot")
@click.argument("location")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def move_cmd(cli: CliContext, lot: str, location: str, as_json: bool) -> None:
    """Move the whole of LOT to LOCATION (a code or name); recorded in the lot's history."""

    async def work(store: Store) -> moves.Moved:
        return await moves.move_lot(lot, location, station=store.station)

    result = run(cli, work)
    if as_json:
        emit_json(
            {
                "lot": result.lot,
                "item": result.item,
                "location": result.location,
                "previous": result.previous,
                "moved": result.moved,
            }
        )
    elif result.moved:
        click.echo(printable(f"{result.lot} moved to {result.location} (was {result.previous or 'nowhere'})"))
    else:
        click.echo(printable(f"{result.lot} is already at {result.location}"))


@main.command("stocktake", context_settings=NUMBERS_AS_ARGUMENTS)
@click.argument("location")
@click.argument("counts", nargs=-1, metavar="[LOT=QTY]...")
@click.option("--mark-missing", is_flag=True, help="Count the lots recorded there but not given as 0.")
@click.option(
    "--elsewhere",
    "elsewhere",
    multiple=True,
    metavar="LOT",
    help="A lot recorded there, not found, but not gone: taken off LOCATION, its stock kept.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def stocktake_cmd(
    cli: CliContext,
    location: str,
    counts: tuple[str, ...],
    mark_missing: bool,
    elsewhere: tuple[str, ...],
    as_json: bool,
) -> None:
    """Count LOCATION: each LOT=QTY found there (units allowed), then list the lots recorded
    there but not counted; --elsewhere takes one off LOCATION (its stock kept), --mark-missing
    counts the others as 0. All in one transaction."""
    pairs = split_pairs(counts, "count", "M261109-001=250g")
    marks = dict.fromkeys(elsewhere, stocktake.MissingMark.ELSEWHERE)

    async def work(store: Store) -> stocktake.StocktakeResult:
        return await stocktake.stocktake(
            location, pairs, mark_missing=mark_missing, marks=marks, station=store.station
        )

    result = run(cli, work)
    if as_json:
        emit_json(
            {
                "location": result.location,
                "counted": [
                    {
                        "lot": c.lot,
                        "on_hand": c.counted.on_hand,
                        "delta": c.counted.delta,
                        "unit": c.counted.unit,
                        "moved_from": c.moved_from,
                    }
                    for c in result.counted
                ],
                "missing": [
                    {"lot": r.lot, "item": r.item, "on_hand": r.on_hand, "unit": r.unit}
                    for r in result.missing
                ],
                "marked": [{"lot": a.lot, "delta": a.delta, "unit": a.unit} for a in result.marked],
                "elsewhere": [{"lot": m.lot, "from": m.previous} for m in result.elsewhere],
            }
        )
        return
    click.echo(f"stocktake of {result.location}: {len(result.counted)} lot(s) counted")
    for c in result.counted:
        moved = f" (moved here from {c.moved_from})" if c.moved else ""
        click.echo(printable(f"  {c.lot}: {c.counted.on_hand} {c.counted.unit}{moved}"))
    if not result.missing:
        click.echo("nothing missing")
    gone, away = {a.lot for a in result.marked}, {m.lot for m in result.elsewhere}
    for r in result.missing:
        state = "counted as 0" if r.lot in gone else "kept elsewhere" if r.lot in away else "not counted"
        click.echo(printable(f"  missing {r.lot}  {r.item}  {r.on_hand} {r.unit}: {state}"))
    if result.missing and not result.marked and len(away) < len(result.missing):
        click.echo("mark them with --mark-missing (each is counted as 0, with the reason)")


@main.command("history")
@click.argument("lot")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def history_cmd(cli: CliContext, lot: str, as_json: bool) -> None:
    """Everything that happened to LOT: received, used, sold, corrected, moved."""

    async def work(store: Store) -> moves.LotHistory:
        return await moves.lot_history(lot)

    found = run(cli, work)
    if as_json:
        emit_json(
            {
                "lot": found.lot,
                "item": found.item,
                "unit": found.unit,
                "on_hand": found.on_hand,
                "location": found.location,
                "history": [
                    {
                        "at": r.at,
                        "kind": r.kind,
                        "delta": r.delta,
                        "on_hand": r.on_hand,
                        "station": r.station,
                        "ref": r.ref,
                        "reason": r.reason,
                    }
                    for r in found.rows
                ],
            }
        )
        return
    kept = f"at {found.location}" if found.location else "no location"
    click.echo(printable(f"{found.lot}  {found.item}  {found.on_hand} {found.unit} on hand, {kept}"))
    for r in found.rows:
        by = f" [{r.station}]" if r.station else ""
        click.echo(
            printable(f"  {r.at.isoformat(sep=' ', timespec='minutes')}{by}  {r.describe(found.unit)}")
        )
