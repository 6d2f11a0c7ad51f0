"""`lotkeeper complaint add|list|close`: the complaint and adverse-event log of each batch."""

from __future__ import annotations

from datetime import date

import click

from tui.cli.base import CliContext, emit_json, fail, main, pass_cli, run
from tui.codes.scan import printable
from tui.services import complaints
from tui.services.complaints import ComplaintView
from tui.store.db import Store


@main.group("complaint")
def complaint_group() -> None:
    """Complaints and adverse events per batch, with the reporting deadlines of serious ones."""


@complaint_group.command("add")
@click.argument("lot")
@click.option("--what", required=True, metavar="TEXT", help="What happened, as the customer told it.")
@click.option("--customer", metavar="NAME", help="Who reported it (a customer's name or e-mail).")
@click.option(
    "--serious", is_flag=True, help="A serious undesirable effect / adverse event: must be reported."
)
@click.option("--on", "received", metavar="YYYY-MM-DD", help="The day you learned of it. Default: today.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def complaint_add(
    cli: CliContext,
    lot: str,
    what: str,
    customer: str | None,
    serious: bool,
    received: str | None,
    as_json: bool,
) -> None:
    """Log a complaint about the batch LOT; prints its number."""

    async def work(store: Store) -> ComplaintView:
        return await complaints.add_complaint(
            lot, what, customer=customer, serious=serious, received=received
        )

    added = run(cli, work)
    if as_json:
        emit_json(added.to_json())
        return
    click.echo(printable(f"complaint {added.id} logged for {added.lot}"))
    for line in deadline_lines(added):
        click.echo(line)


@complaint_group.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only complaints not closed yet.")
@click.option("--lot", metavar="LOT", help="Only this batch's complaints.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def complaint_list(cli: CliContext, open_only: bool, lot: str | None, as_json: bool) -> None:
    """Complaints, open ones first, newest first."""

    async def work(store: Store) -> list[ComplaintView]:
        return await complaints.list_complaints(open_only=open_only, lot=lot)

    found = run(cli, work)
    if as_json:
        emit_json([c.to_json() for c in found])
        return
    if not found:
        click.echo("no open complaints" if open_only else "no complaints")
    for c in found:
        state = f"closed {c.closed}" if c.closed else "OPEN"
        who = f"  {c.customer}" if c.customer else ""
        grave = "  SERIOUS" if c.serious else ""
        click.echo(printable(f"{c.id}  {c.received}  {c.lot}  {c.item}{who}{grave}  {state}"))
        click.echo(printable(f"    what: {c.what}"))
        if c.action:
            click.echo(printable(f"    action: {c.action}"))
        for line in deadline_lines(c):
            click.echo(line)


@complaint_group.command("close")
@click.argument("complaint_id", metavar="ID")
@click.option("--action", required=True, metavar="TEXT", help="What was done about it.")
@click.option("--on", "closed", metavar="YYYY-MM-DD", help="The day it was closed. Default: today.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def complaint_close(
    cli: CliContext, complaint_id: str, action: str, closed: str | None, as_json: bool
) -> None:
    """Record the action taken on complaint ID and close it."""
    if not complaint_id.isdigit():
        fail(f"complaint {complaint_id!r}: give its number, as lotkeeper complaint list shows it")

    async def work(store: Store) -> ComplaintView:
        return await complaints.close_complaint(int(complaint_id), action, closed=closed)

    done = run(cli, work)
    if as_json:
        emit_json(done.to_json())
        return
    click.echo(printable(f"complaint {done.id} for {done.lot} closed on {done.closed}"))


def deadline_lines(c: ComplaintView) -> list[str]:
    late = c.overdue(date.today())
    return [
        f"    report to {d.market} by {d.due} ({d.rule}){'  OVERDUE' if d in late else ''}"
        for d in c.deadlines
    ]
