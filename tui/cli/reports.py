"""Commands that read the whole store: trace a recall, check consistency, load the demo.

`trace` prints the two trees a recall needs (where it came from, where it went) and the people
to contact; `--json` gives the same as one document (`Trace.to_json`). `check` exits 1 when it
finds a problem, so a cron job or a backup script can stop on a damaged store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import click

from tui.cli.base import CliContext, emit_json, main, pass_cli, run
from tui.codes.scan import printable
from tui.config import BackupConfig, default_db_path
from tui.services.demo import DemoSummary, example_lot, seed_demo, store_is_empty, welcome
from tui.services.tracing import Trace, TraceNode, trace
from tui.store.db import Store
from tui.store.integrity import CheckReport, check, rebuild_cache

SHOWN_PROBLEMS = 50


def _qty(node: TraceNode) -> str:
    return "" if node.qty is None else f"{format(node.qty, 'f')} {node.unit}".strip()


def describe(node: TraceNode, verb: str = "") -> str:
    """One line per node; `verb` says how the parent relates to it (none at the root)."""
    dated = node.dated.isoformat() if node.dated else "?"
    buyer = node.customer or "a walk-in customer"
    if node.kind == "sale":
        text = f"order {node.order}: sold {_qty(node)} to {buyer} on {dated}"
    elif node.kind == "order":
        text = f"order {node.code} for {buyer} on {dated}"
    else:
        amount = f"{verb} {_qty(node)}".strip()
        dated_as = "received" if node.kind == "material_lot" else "made"
        text = f"{node.code}  {node.item}  {amount}  {dated_as} {dated}"
        if node.supplier:
            text += f" from {node.supplier}"
        if node.supplier_lot:
            text += f" (their lot {node.supplier_lot})"
    return text


def tree_lines(node: TraceNode, prefix: str = "", branch: str = "", verb: str = "") -> list[str]:
    """The tree drawn with box characters; names and codes pass through `printable`."""
    lines = [prefix + branch + printable(describe(node, verb))]
    inner = prefix + {"": "", "└─ ": "   ", "├─ ": "│  "}[branch]
    child_verb = "sold" if node.kind == "order" else "used"
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        lines += tree_lines(child, inner, "└─ " if last else "├─ ", child_verb)
    return lines


def trace_text(found: Trace) -> str:
    kind = found.kind.replace("_", " ")
    out = [f"Trace of {kind} {found.code}", ""]
    out.append("Suppliers: " + (", ".join(found.suppliers) or "none"))
    out.append("Material lots: " + (", ".join(found.material_lots) or "none"))
    out.append("Batches: " + (", ".join(found.batches) or "none"))
    if found.customers:
        out.append(f"Customers to contact ({len(found.customers)}):")
        for c in found.customers:
            email = c.email or "no email on record"
            out.append(f"  {c.name} <{email}>  orders: {', '.join(c.orders)}")
            if c.phone:
                out.append(f"    phone {c.phone}")
            if c.address:
                out.append("    " + ", ".join(c.address.splitlines()))
    elif not found.walk_in_orders:
        out.append("Customers to contact: none (nothing from it was sold)")
    else:
        out.append("Customers to contact: none known")
    if found.walk_in_orders:
        out.append(f"Sold without a customer (no contact): orders {', '.join(found.walk_in_orders)}")
    if found.complaints:
        out.append(f"Complaints on its batches ({len(found.complaints)}):")
        for logged in found.complaints:
            state = f"closed {logged.closed}" if logged.closed else "OPEN"
            grave = " serious" if logged.serious else ""
            out.append(f"  #{logged.id} {logged.received} {logged.lot}{grave} {state}: {logged.what}")
    out += ["", "Where it came from:", *tree_lines(found.backward)]
    out += ["", "Where it went:", *tree_lines(found.forward)]
    return "\n".join(printable(line) for line in out)


@main.command("trace")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def trace_cmd(cli: CliContext, code: str, as_json: bool) -> None:
    """Where a material lot, batch or order came from and went (for recalls)."""

    async def work(store: Store) -> Trace:
        return await trace(code)

    found = run(cli, work)
    if as_json:
        emit_json(found)
    else:
        click.echo(trace_text(found))


@main.command("check")
@click.option(
    "--rebuild-cache",
    "rebuild",
    is_flag=True,
    help="First set every lot's on-hand to the sum of its movements (the ledger is the truth).",
)
@pass_cli
def check_cmd(cli: CliContext, rebuild: bool) -> None:
    """Check that stock, genealogy and references agree; exit 1 if anything is wrong."""

    async def work(store: Store) -> tuple[int | None, CheckReport]:
        fixed = await rebuild_cache() if rebuild else None
        return fixed, await check()

    fixed, report = run(cli, work)
    if fixed is not None:
        click.echo(f"on-hand recomputed from the movements: {fixed} lot(s) corrected")
    if report.ok:
        click.echo(f"store is consistent ({report.lots_checked} lots checked)")
        return
    click.echo(f"{len(report.problems)} problem(s) found:", err=True)
    for problem in report.problems[:SHOWN_PROBLEMS]:
        click.echo(f"  {printable(problem)}", err=True)
    if len(report.problems) > SHOWN_PROBLEMS:
        click.echo(f"  ... and {len(report.problems) - SHOWN_PROBLEMS} more", err=True)
    raise SystemExit(1)


def summary_text(summary: DemoSummary) -> str:
    return (
        f"demo data loaded (dates around {summary.today.isoformat()}): "
        f"{summary.suppliers} suppliers, {summary.materials} materials, "
        f"{summary.material_lots} material lots, {summary.products} products, "
        f"{summary.batches} batches, {summary.customers} customers, {summary.orders} orders\n"
        f"try: lotkeeper trace {summary.example_lot}   (a lot that went into the fragrance blend)"
    )


def demo_context(cli: CliContext) -> CliContext:
    """Keep the demo out of the real store: unless a database was chosen (--db, LOTKEEPER_DB
    or the config), it gets a file of its own beside the default one. It makes no daily backup:
    one in the backup folder would stand for the real store's backup of the day.
    """
    cli = replace(cli, config=replace(cli.config, backup=BackupConfig()))
    if cli.db != str(default_db_path()):
        return cli
    return replace(cli, db=str(default_db_path().with_name("lotkeeper-demo.db")))


@main.command("demo")
@click.option("--seed-only", is_flag=True, help="Fill an empty store with demo data and stop.")
@pass_cli
def demo_cmd(cli: CliContext, seed_only: bool) -> None:
    """A soap-and-candle workshop to try things on (kept apart from your real store)."""
    cli = demo_context(cli)
    click.echo(f"demo database: {cli.db}")

    async def work(store: Store) -> tuple[DemoSummary | None, str | None]:
        if not seed_only and not await store_is_empty():
            return None, await example_lot()
        summary = await seed_demo(today=date.today(), codes=cli.config.codes)
        return summary, summary.example_lot

    summary, lot = run(cli, work, create=True, announce=False)
    if summary is not None:
        click.echo(summary_text(summary))
        if not cli.config.maker.name.strip():
            click.echo(
                "labels of SOAP-CED, MELT-LAV, BISC-OAT and DISH-CED follow their profiles: set your "
                "name and addresses in the [maker] table of the config to print them"
            )
    if not seed_only:
        from tui.cli.tui_cmd import open_tui

        open_tui(cli.config, cli.db, welcome=welcome(lot) if lot else None)
