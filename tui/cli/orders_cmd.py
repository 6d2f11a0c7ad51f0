"""`lotkeeper orders` and `lotkeeper pack`: what is still to pack, and packing it batch by batch."""

from __future__ import annotations

import click

from tui.cli.base import CliContext, emit_json, main, pass_cli, run
from tui.cli.core import split_pairs
from tui.codes.scan import printable
from tui.services.orders import OrderLineView, OrderView, list_orders
from tui.services.packing import Packed, pack
from tui.store.db import Store


@main.command("orders")
@click.option("--open", "open_only", is_flag=True, help="Only orders with something left to pack.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def orders_cmd(cli: CliContext, open_only: bool, as_json: bool) -> None:
    """Orders, newest first: imported ones with what is left to pack, and those sold at the bench."""

    async def work(_: Store) -> list[OrderView]:
        return await list_orders(open_only=open_only)

    found = run(cli, work)
    if as_json:
        emit_json([order.to_json() for order in found])
        return
    if not found:
        click.echo("no orders to pack" if open_only else "no orders")
        return
    for order in found:
        click.echo(printable(order_heading(order)))
        for line in order.lines:
            click.echo(printable("  " + line_text(line)))


def order_heading(order: OrderView) -> str:
    who = order.customer or "walk-in"
    if order.email:
        who += f" <{order.email}>"
    dated = order.sold_on.isoformat() if order.sold_on else ""
    return f"{order.order}  {order.channel}  {dated}  {who}  {order.status.value}"


def line_text(line: OrderLineView) -> str:
    qty = format(line.qty, "f")
    text = f"{line.sku or '(no SKU)'}  {line.name}  {qty}"
    if not line.needs_lot:
        return text + "  (needs no lot)"
    if line.cancelled:
        text += f"  ({format(line.cancelled, 'f')} refunded)"
    if line.open:
        text += f"  to pack: {format(line.open, 'f')}"
        if line.product is None:
            text += " (no product has this SKU yet)"
    if line.lots:
        text += "  packed: " + ", ".join(f"{p.lot} {format(p.qty, 'f')}" for p in line.lots)
    return text


@main.command("pack")
@click.argument("order")
@click.argument("items", nargs=-1, metavar="[ITEM=QTY]...")
@click.option("--fefo", is_flag=True, help="Pack every open line first-expiring-first.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def pack_cmd(cli: CliContext, order: str, items: tuple[str, ...], fefo: bool, as_json: bool) -> None:
    """Tie units of ORDER to batches; ITEM is a batch lot code (scanned) or a SKU (first-expiring-first)."""
    lines = split_pairs(items, "item", "SOAP260301-01=2")

    async def work(store: Store) -> Packed:
        return await pack(order, lines, fefo=fefo, station=store.station)

    result = run(cli, work)
    if as_json:
        emit_json(result.to_json())
        return
    who = result.customer or "a walk-in customer"
    click.echo(printable(f"{result.order} for {who}: {result.status.value}"))
    for line in result.detail:
        click.echo(printable(f"  {line.sku} {format(line.qty, 'f')} from batch {line.lot}  ({line.name})"))
    for left in result.left_open:
        click.echo(printable(f"  left open: {left.sku} {left.name} {format(left.qty, 'f')} ({left.reason})"))
