"""Pack / sell: choose the customer, scan every item into the box, record the order.

Each scan of a batch label adds one of that batch (scanning it again adds another); a product
barcode adds the product. After every change `sales.preview` shows which batch each line takes
(a product's first to expire) and what would be refused, before anything is recorded. A
quantity typed (or scanned as QTY) sets the highlighted line: the last one scanned, or the one
a refused order was refused for. The order reference is handed out by the service unless one
is typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from tui.errors import InvalidInput, LotkeeperError
from tui.screens.context import ScreenContext
from tui.screens.customers import new_customer_form
from tui.screens.form import FormScreen
from tui.services import editing, sales
from tui.store.quantities import parse_decimal, to_milli
from tui.widgets.cells import cell
from tui.widgets.literal import literal
from tui.widgets.pick_list import Choice, PickList

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult


@dataclass(frozen=True)
class Line:
    """One line as scanned: a batch code or a product SKU, and how many."""

    code: str
    qty: Decimal


class SellScreen(FormScreen):
    CSS_PATH = "sell.tcss"
    SUB_TITLE = "Pack / sell an order"
    HINTS: ClassVar[dict[str, str]] = {
        "customer": "Type the customer's number (or name) and Enter; a new name adds one.",
        "order": "Type the order reference, or just Enter for an automatic one.",
        "qty": "Scan each item. Digits + Enter set the highlighted line's quantity; Enter: finish.",
        "confirm": "Enter (or scan DONE) records the order; keep scanning to add items.",
    }
    FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "customer": ("customer",),
        "order": ("order ",),
        "qty": ("quantity",),
    }
    DRAFT = "order"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Sell", tooltip="Record the order (same as scanning DONE)"),
        Binding("escape", "cancel", "Start over", tooltip="Clear the order (again: back to Home)"),
        Binding("ctrl+z", "undo", "Remove last", tooltip="Remove the last scanned line"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.lines: list[Line] = []
        self.planned: list[sales.PlannedLine] = []
        self.current: int | None = None
        """The line a typed quantity sets (None: the last one)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Label("Customer", classes="caption")
                yield PickList("customer", allow_new=True, id="customer")
            with Horizontal(classes="row"):
                yield Label("Order", classes="caption")
                yield Input(id="order", compact=True, placeholder="automatic")
            with Horizontal(classes="row"):
                yield Label("Quantity", classes="caption")
                yield Input(id="qty", compact=True, placeholder="of the last line")
                yield Static("", id="totals")
        yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        with Vertical(id="bottom"):
            yield Static("", id="result")
            with Horizontal(classes="row"):
                yield Label("", classes="caption")
                yield Button("Sell", id="confirm", variant="primary", compact=True)
            yield Static("", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#lines", DataTable).add_columns("Scanned", "Batch", "Product", "Qty", "Note")
        self.query_one("#result", Static).display = False
        self._show_lines()

    async def on_screen_resume(self) -> None:
        await self.load_customers()
        if not isinstance(self.focused, Input):
            self.query_one("#customer", PickList).focus()

    async def load_customers(self) -> None:
        customers = await self.attempt(editing.list_customers())
        if customers is not None:
            self.query_one("#customer", PickList).set_choices(
                Choice(c.name, c.name, c.number) for c in customers
            )

    @property
    def customer(self) -> str | None:
        return self.query_one("#customer", PickList).value

    # -- the form ---------------------------------------------------------------------------

    @on(PickList.Refused)
    def _refused(self, event: PickList.Refused) -> None:
        self.report(InvalidInput(event.message))

    @on(PickList.Picked, "#customer")
    async def _customer_picked(self, event: PickList.Picked) -> None:
        if event.new:
            form = new_customer_form(event.value, self.ctx.config.codes.command_prefix)
            self.app.push_screen(form, self._customer_added)
            return
        self.query_one("#order", Input).focus()

    async def _customer_added(self, name: str | None) -> None:
        """Back from the new customer's form: pick them, or (cancelled) keep the typed name."""
        customers = self.query_one("#customer", PickList)
        if name is None:
            customers.value = None
            customers.focus()
            return
        self.say(f"customer {name} added")
        await self.load_customers()
        customers.pick(name)

    @on(Input.Submitted, "#order")
    def _order_entered(self) -> None:
        self.query_one("#qty", Input).focus()

    @on(Input.Submitted, "#qty")
    def _qty_entered(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#confirm", Button).focus()
        elif self.set_quantity(event.value):
            event.input.value = ""

    def set_quantity(self, text: str) -> bool:
        """Set the highlighted line's quantity (the last line's, unless a refusal chose one)."""
        if not self.lines:
            self.report(InvalidInput("scan an item first, then type its quantity"))
            return False
        try:
            to_milli(text, "quantity")
        except InvalidInput as exc:
            self.report(exc)
            return False
        at = self._current()
        self.lines[at] = replace(self.lines[at], qty=parse_decimal(text))
        self.current = None
        self._lines_changed()
        return True

    def _current(self) -> int:
        return self.current if self.current is not None and self.current < len(self.lines) else -1

    def _show_lines(self) -> None:
        table = self.query_one("#lines", DataTable)
        table.clear()
        for line in self.planned:
            note = line.problem.message if line.problem else ""
            row = (line.item, line.lot or "-", line.sku or "?", str(line.qty), note)
            table.add_row(*(cell(value) for value in row))
        if self.planned:
            item = self.lines[self._current()].code if self.lines else None
            rows = [i for i, line in enumerate(self.planned) if line.item == item]
            table.move_cursor(row=rows[-1] if rows else len(self.planned) - 1)
        per_sku: dict[str, Decimal] = {}
        for line in self.planned:
            if line.sku:
                per_sku[line.sku] = per_sku.get(line.sku, Decimal(0)) + line.qty
        total = sum(per_sku.values(), Decimal(0))
        detail = ", ".join(f"{sku} {qty}" for sku, qty in per_sku.items())
        text = f"{len(self.lines)} line(s), {total} item(s)" + (f": {detail}" if detail else "")
        self.query_one("#totals", Static).update(literal(text))

    # -- scans and commands -----------------------------------------------------------------

    async def handle_scan(self, result: ScanResult) -> bool:
        if result.kind in ("batch", "product"):
            self.add_line(Line(result.code, Decimal(1)))
        elif result.kind == "material_lot":
            self.report(
                InvalidInput(f"{result.code} is a material lot: scan the batch label or the product barcode")
            )
        else:
            return False
        return True

    def add_line(self, line: Line) -> None:
        """A repeated scan adds one more to its line (and makes it the last line)."""
        same = next((old for old in self.lines if old.code == line.code), None)
        if same is not None:
            self.lines.remove(same)
            line = replace(line, qty=same.qty + line.qty)
        self.lines.append(line)
        self.current = None
        self._lines_changed()
        self.query_one("#qty", Input).focus()

    def _lines_changed(self) -> None:
        self.query_one("#result", Static).display = False
        self._replan()

    @work(exclusive=True, group="sell-plan", name="checking the order", exit_on_error=False)
    async def _replan(self) -> None:
        items = [(line.code, line.qty) for line in self.lines]
        planned = await self.attempt(sales.preview(items, sold_on=self.ctx.day())) if items else []
        if planned is None:
            return
        self.planned = planned
        self._show_lines()
        last = self.lines[-1].code if self.lines else None
        problem = next((p.problem for p in reversed(planned) if p.item == last and p.problem), None)
        if problem is not None:
            self.report(InvalidInput(f"{last}: {problem.message}. Undo (ctrl+z or UNDO) removes it"))

    def handle_quantity(self, quantity: int) -> bool:
        self.set_quantity(str(quantity))
        return True

    def action_undo(self) -> None:
        if not self.lines:
            self.say("no line to remove")
            return
        removed = self.lines.pop()
        self.current = None
        self._lines_changed()
        self.say(f"removed {removed.code} from the order")

    def draft(self) -> str | None:
        if not self.lines and self.customer is None:
            return None
        customer = f"for {self.customer}" if self.customer else "no customer yet"
        return f"{customer}, {len(self.lines)} scanned line(s)"

    def refused(self, exc: LotkeeperError) -> None:
        """A refused line: the cursor goes to the quantity, and the quantity to that line."""
        planned = next((p for p in self.planned if p.problem and p.problem.message == exc.message), None)
        at = next((i for i, line in enumerate(self.lines) if planned and line.code == planned.item), None)
        if at is None:
            super().refused(exc)
            return
        self.report(exc)
        self.current = at
        self._show_lines()
        self.query_one("#qty", Input).focus()

    def reset(self) -> None:
        self.lines.clear()
        self.current = None
        self.planned = []
        self._show_lines()
        self.query_one("#customer", PickList).clear()
        self.query_one("#order", Input).value = ""
        self.query_one("#qty", Input).value = ""
        self.query_one("#customer", PickList).focus()

    # -- selling ----------------------------------------------------------------------------

    def action_done(self) -> None:
        if self.customer is None:
            self.report(InvalidInput("choose the customer first: type their number and Enter"))
            self.query_one("#customer", PickList).focus()
        elif not self.lines:
            self.report(InvalidInput("scan the items of the order first"))
            self.query_one("#qty", Input).focus()
        elif not self.busy:
            self.busy = True
            self._sell(self.customer)

    @work(group="sell", name="recording the order", exit_on_error=False)
    async def _sell(self, customer: str) -> None:
        try:
            sold = await self.submit(
                sales.sell(
                    customer,
                    [(line.code, line.qty) for line in self.lines],
                    order=self.query_one("#order", Input).value.strip() or None,
                    station=self.ctx.station,
                    sold_on=self.ctx.day(),
                )
            )
            if sold is None:
                return
            self.reset()
            table = self.query_one("#lines", DataTable)
            for line in sold.lines:
                table.add_row(*(cell(v) for v in ("", line.lot, line.product, str(line.qty), "sold")))
            total = sum((line.qty for line in sold.lines), Decimal(0))
            result = self.query_one("#result", Static)
            result.update(literal(f"Order {sold.order} for {sold.customer}: {total} item(s) recorded."))
            result.display = True
            self.say(f"order {sold.order} recorded")
        finally:
            self.busy = False
