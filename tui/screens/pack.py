"""Pack: an imported order (Shopify, Etsy, Square) packed by scanning each jar into the box.

Its own screen, not a mode of Sell: Sell makes a new order from what is scanned, Pack fills an
order that already says what it wants. The open orders are listed newest first; scanning the
packing slip (its order number, `#1006` or `1006`, or the channel's order id), typing the number,
or picking a row chooses one. Each jar scanned then goes through `packing.plan_pack` with every
jar before it: the line it fills is shown, and a batch of a product the order does not have,
one more than a line asks for, an expired batch are refused with the service's message and not
added. DONE (Ctrl+S, the DONE barcode) records the scanned jars with `packing.pack`, in one
transaction. Ctrl+O imports an order file (`ImportScreen`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from tui.errors import InvalidInput, LotkeeperError, NotFound
from tui.screens.context import ScreenContext
from tui.screens.form import FormScreen
from tui.screens.importing import ImportScreen
from tui.services import orders, packing
from tui.services.orders import OrderView, PackStatus
from tui.widgets.cells import cell
from tui.widgets.literal import literal

if TYPE_CHECKING:
    from tui.services.packing import PackPlan
    from tui.services.resolver import ScanResult

LISTED = 200
"""Open orders listed at most (newest first); an older one is still found by its number."""


@dataclass(frozen=True)
class Item:
    """Jars scanned so far of one batch (or one SKU, first-expiring-first)."""

    code: str
    qty: Decimal


def qty_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


class PackScreen(FormScreen):
    CSS_PATH = "pack.tcss"
    SUB_TITLE = "Pack an imported order"
    HINTS: ClassVar[dict[str, str]] = {
        "order": "Scan the packing slip, type the order number and Enter, or pick an order below.",
        "orders": "Enter packs the highlighted order. Ctrl+O imports an order file.",
        "item": "Scan each jar: its line fills. Ctrl+Z removes the last; Ctrl+S (or DONE) records it.",
        "confirm": "Enter (or scan DONE) records what was scanned; keep scanning to add jars.",
    }
    DRAFT = "packing"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Pack", id="pack.done", tooltip="Record the scanned jars (= DONE)"),
        Binding("escape", "cancel", "Back", id="pack.cancel", tooltip="Back to the order list, or Home"),
        Binding("ctrl+z", "undo", "Undo", id="pack.undo", tooltip="Take the last jar scanned out again"),
        Binding("ctrl+o", "import", "Import", id="pack.import", tooltip="Import an order export (CSV)"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.order: OrderView | None = None
        self.items: list[Item] = []
        self.plan: PackPlan | None = None
        self.open_orders: list[OrderView] = []
        self._changing = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Label("Order", classes="caption")
                yield Input(id="order", compact=True, placeholder="scan the packing slip")
                yield Static("", id="about")
            with Horizontal(classes="row"):
                yield Label("Jar", classes="caption")
                yield Input(id="item", compact=True, placeholder="scan each jar")
                yield Static("", id="totals")
        yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        with Vertical(id="bottom"):
            yield Static("", id="result")
            with Horizontal(classes="row"):
                yield Label("", classes="caption")
                yield Button("Pack", id="confirm", variant="primary", compact=True)
            yield Static("", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#orders", DataTable).add_columns("Order", "Date", "Channel", "Customer", "To pack")
        lines = self.query_one("#lines", DataTable)
        lines.add_columns("#", "SKU", "Item", "Qty", "Packed", "Open", "Batches")
        self.query_one("#result", Static).display = False
        self._show_order()

    def on_screen_resume(self) -> None:
        self.load_orders()
        if not isinstance(self.focused, Input):
            self.query_one("#item" if self.order else "#order", Input).focus()

    @work(exclusive=True, group="pack-orders", name="listing open orders", exit_on_error=False)
    async def load_orders(self) -> None:
        found = await self.attempt(orders.list_orders(open_only=True, limit=LISTED))
        if found is None:
            return
        self.open_orders = found
        table = self.query_one("#orders", DataTable)
        table.clear()
        for view in found:
            buyer = view.customer or "walk-in"
            row = (view.order, view.sold_on or "", view.channel, buyer, qty_text(view.open))
            table.add_row(*(cell(value) for value in row), key=view.order)
        if self.order is None:
            self._show_order()

    # -- choosing the order -----------------------------------------------------------------

    @on(Input.Submitted, "#order")
    async def _order_typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            await self.choose(event.value)
        elif self.open_orders:
            self.query_one("#orders", DataTable).focus()

    @on(DataTable.RowSelected, "#orders")
    async def _order_picked(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            await self.choose(event.row_key.value)

    async def choose(self, text: str) -> bool:
        """Make the order `text` names the one being packed (refused while jars of another are in)."""
        view = await self.attempt(orders.find_order(text))
        current = self.order.order if self.order else None
        if view is None or not self.keeps(current, view.order, bool(self.items)):
            return False
        self.order, self.items, self.plan = view, [], None
        self.query_one("#order", Input).value = view.order
        self.query_one("#result", Static).display = False
        self._show_order()
        if view.status is PackStatus.CANCELLED:
            self.report(InvalidInput(f"order {view.order} is cancelled: nothing of it is to be packed"))
        elif not view.open:
            self.report(InvalidInput(f"order {view.order} has nothing left to pack ({view.status.value})"))
        else:
            self.say(f"order {view.order}: scan each jar")
        self.query_one("#item", Input).focus()
        return True

    # -- scanning jars ----------------------------------------------------------------------

    async def handle_scan(self, result: ScanResult) -> bool:
        if result.kind == "order":
            await self.choose(result.code)
        elif result.kind in ("batch", "product"):
            if self.order is None:
                self.report(InvalidInput(f"{result.code}: choose the order first (scan its packing slip)"))
            else:
                await self.add(result.code)
        elif result.kind == "material_lot":
            self.report(InvalidInput(f"{result.code} is a material lot: scan the batch label on the jar"))
        elif result.kind == "unknown":
            await self._slip_or_unknown(result)
        else:
            return False
        return True

    async def _slip_or_unknown(self, result: ScanResult) -> None:
        """A packing slip's number is no code of ours (`1006`, a channel's order id): try it."""
        try:
            await orders.order_id(result.code)
        except NotFound:
            self.report(InvalidInput(result.message))
            return
        await self.choose(result.code)

    @on(Input.Submitted, "#item")
    async def _item_typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#confirm", Button).focus()
        elif self.order is None:
            self.report(InvalidInput("choose the order first: scan its packing slip or type its number"))
        elif await self.add(text):
            event.input.value = ""

    async def add(self, code: str, qty: Decimal = Decimal(1)) -> bool:
        """One more jar of `code`: kept only if the order takes it (else refused, said why)."""

        def more(items: list[Item]) -> list[Item]:
            same = next((item for item in items if item.code.casefold() == code.casefold()), None)
            others = [item for item in items if item is not same]
            return [*others, Item(code, (same.qty if same else Decimal(0)) + qty)]

        return await self._change(more, code)

    async def _change(self, change: Callable[[list[Item]], list[Item]], code: str | None) -> bool:
        """Apply `change` to the jars if `plan_pack` takes the result; one change at a time, so a
        quantity or an undo never overwrites a jar scanned meanwhile."""
        async with self._changing:
            order = self.order
            if order is None:
                return False
            items, plan = change(self.items), None
            if items:
                try:
                    plan = await packing.plan_pack(
                        order.order, [(i.code, i.qty) for i in items], packed_on=self.ctx.day()
                    )
                except LotkeeperError as exc:
                    self.report(InvalidInput(f"refused {code}: {exc.message}") if code else exc)
                    return False
            if self.order is not order:
                return False  # cleared or packed meanwhile
            self.items, self.plan = items, plan
        self.query_one("#result", Static).display = False
        self._show_order()
        if plan is not None and code is not None:
            filled = [line.position for line in plan.lines if line.item.casefold() == code.casefold()]
            rows = [i for i, line in enumerate(order.lines) if filled and line.position == filled[-1]]
            if rows:
                self.query_one("#lines", DataTable).move_cursor(row=rows[0])
        return True

    def handle_quantity(self, quantity: int) -> bool:
        """QTY n: the last jar scanned counts n times."""
        if not self.items:
            self.report(InvalidInput("scan a jar first, then its quantity"))
            return True

        def counted(items: list[Item]) -> list[Item]:
            return [*items[:-1], replace(items[-1], qty=Decimal(quantity))] if items else items

        self.run_worker(self._change(counted, self.items[-1].code), group="pack-qty", exit_on_error=False)
        return True

    def action_undo(self) -> None:
        if not self.items:
            self.say("no jar to take out")
            return

        def one_less(items: list[Item]) -> list[Item]:
            if not items:
                return items
            last = items[-1]
            return items[:-1] + ([replace(last, qty=last.qty - 1)] if last.qty > 1 else [])

        self.say(f"took one {self.items[-1].code} out")
        self.run_worker(self._change(one_less, None), group="pack-undo", exit_on_error=False)

    # -- what is shown ----------------------------------------------------------------------

    def _show_order(self) -> None:
        view = self.order
        self.set_class(view is not None, "-packing")
        about = self.query_one("#about", Static)
        table = self.query_one("#lines", DataTable)
        table.clear()
        if view is None:
            count = len(self.open_orders)
            empty = "no open orders: Ctrl+O imports some"
            about.update(literal(f"{count} open order(s)" if count else empty))
            self.query_one("#totals", Static).update("")
            return
        buyer = view.customer or "walk-in"
        about.update(literal(f"{view.channel}, {buyer}, {view.sold_on or ''} ({view.status.value})"))
        now: dict[int, list[tuple[str, Decimal]]] = {}
        for take in self.plan.lines if self.plan else ():
            now.setdefault(take.position, []).append((take.lot, take.qty))
        for line in view.lines:
            added = sum((q for _, q in now.get(line.position, [])), Decimal(0))
            packed = sum((p.qty for p in line.lots), Decimal(0))
            lots = [f"{p.lot} x{qty_text(p.qty)}" for p in line.lots]
            lots += [f"+{lot} x{qty_text(q)}" for lot, q in now.get(line.position, [])]
            if not line.needs_lot:
                left = "no lot needed"
            elif line.product is None and line.open:
                left = f"{qty_text(line.open)} (no product)"
            else:
                left = qty_text(line.open - added)
            done = qty_text(packed) + (f" +{qty_text(added)}" if added else "")
            row = (line.position, line.sku or "-", line.name, qty_text(line.qty), done, left, ", ".join(lots))
            table.add_row(*(cell(value) for value in row))
        scanned = sum((item.qty for item in self.items), Decimal(0))
        planned = sum((line.qty for line in self.plan.lines), Decimal(0)) if self.plan else Decimal(0)
        still = view.open - planned
        text = f"{qty_text(scanned)} scanned, {qty_text(still)} still to pack"
        self.query_one("#totals", Static).update(literal(text))

    # -- finishing --------------------------------------------------------------------------

    def draft(self) -> str | None:
        if self.order is None or not self.items:
            return None
        return f"order {self.order.order}, {qty_text(sum((i.qty for i in self.items), Decimal(0)))} jar(s)"

    def action_cancel(self) -> None:
        if self.order is not None and not self.items:
            self.reset()
        else:
            super().action_cancel()

    def reset(self) -> None:
        self.order, self.items, self.plan = None, [], None
        self.query_one("#order", Input).value = ""
        self.query_one("#item", Input).value = ""
        self._show_order()
        self.load_orders()
        self.query_one("#order", Input).focus()

    def action_done(self) -> None:
        if self.order is None:
            self.report(InvalidInput("choose the order first: scan its packing slip or type its number"))
        elif not self.items:
            self.report(InvalidInput(f"scan the jars of order {self.order.order} first"))
        elif not self.busy:
            self.busy = True
            self._pack(self.order.order, list(self.items))

    @work(group="pack", name="recording the packing", exit_on_error=False)
    async def _pack(self, order: str, items: list[Item]) -> None:
        try:
            done = await self.submit(
                packing.pack(
                    order,
                    [(i.code, i.qty) for i in items],
                    station=self.ctx.station,
                    packed_on=self.ctx.day(),
                )
            )
            if done is None:
                return
            self.reset()
            total = sum((line.qty for line in done.lines), Decimal(0))
            lots = ", ".join(f"{p.lot} x{qty_text(p.qty)}" for p in done.lines)
            result = self.query_one("#result", Static)
            buyer = done.customer or "a walk-in customer"
            text = f"Order {done.order} for {buyer}: {qty_text(total)} packed ({lots}); {done.status.value}."
            result.update(literal(text))
            result.display = True
            self.say(f"order {done.order} packed")
        finally:
            self.busy = False

    def action_import(self) -> None:
        self.app.push_screen(ImportScreen(self.ctx), self._imported)

    def _imported(self, _: None) -> None:
        self.load_orders()
