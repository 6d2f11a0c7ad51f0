"""Make a batch: choose the product and quantity, check what it will take, record it.

The proposal (first-expiring-first) comes from `production.propose` and is shown before
anything is written, with shortages and expired lots spelled out. The maker overrides it by
scanning the lot actually on the bench: that lot then stands for its material, with the amount
the recipe needs (or what the lot holds), which the maker can retype. Enter (or DONE) records
the batch through `production.make` and queues its labels. With a scale, a scanned lot's next
fresh stable weight (`ScaleLine`) is read by `lot_use.weighed` and fills that line's amount,
and the hint names the next line to scan. Amounts that stray from the recipe beyond the
tolerance are shown as typed; finishing such a batch asks first: made on purpose, or back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from tui.codes.units import format_decimal
from tui.errors import InvalidInput, LotkeeperError, RecipeDeviation
from tui.screens.context import ScreenContext
from tui.screens.form import FormScreen
from tui.services import editing, inventory, lot_use, production
from tui.services.printing import Job
from tui.store.quantities import parse_decimal, to_milli
from tui.widgets.ask import Answer, Ask
from tui.widgets.cells import cell
from tui.widgets.literal import literal
from tui.widgets.pick_list import Choice, PickList
from tui.widgets.scale_line import ScaleLine

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult


class MakeScreen(FormScreen):
    CSS_PATH = "make.tcss"
    SUB_TITLE = "Make a batch"
    HINTS: ClassVar[dict[str, str]] = {
        "product": "Scan the product, or type its number (or part of its SKU) and Enter.",
        "qty": "Type how many were made and Enter (or scan a quantity barcode).",
        "lot-qty": "Type the amount actually used from this lot and Enter.",
        "confirm": "Scan a lot you used to change the proposal. Enter (or DONE) records the batch.",
    }
    FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "product": ("product", "sku"),
        "qty": ("cannot make", "quantity"),
    }
    DRAFT = "batch"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "done", "Make", tooltip="Record the batch and queue its labels (same as scanning DONE)"
        ),
        Binding("escape", "cancel", "Start over", tooltip="Clear the batch (again: back to Home)"),
        Binding("ctrl+z", "undo", "Undo lot", tooltip="Forget the last scanned lot"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.products: dict[str, editing.ProductRow] = {}
        self.use: dict[str, tuple[str, Decimal]] = {}
        """Scanned lots: code -> (material or component, amount used), in scan order."""
        self.proposal: production.Proposal | None = None
        self.next_step = ""
        """After a weight: what it was and which line to scan next (the hint at the button)."""
        self.shown_batch: str | None = None
        """The batch `#result` tells about (its labels' state follows the queue)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Label("Product", classes="caption")
                yield PickList("product", id="product")
            with Horizontal(classes="row"):
                yield Label("Quantity", classes="caption")
                yield Input(id="qty", compact=True, placeholder="e.g. 12")
                yield Static("", id="unit")
        yield DataTable(id="proposal", cursor_type="row", zebra_stripes=True)
        with Vertical(id="bottom"):
            yield Static("", id="problems")
            yield Static("", id="result")
            yield ScaleLine(self.ctx.scales, id="scale")
            with Horizontal(classes="row", id="lot-row"):
                yield Label("", id="lot-caption")
                yield Input(id="lot-qty", compact=True)
                yield Static("", id="lot-unit")
            with Horizontal(classes="row"):
                yield Label("", classes="caption")
                yield Button("Make batch", id="confirm", variant="primary", compact=True)
            yield Static("", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#proposal", DataTable)
        table.add_columns("Lot", "Material", "Uses", "Expires", "Why")
        self.query_one("#lot-row").display = False
        self.query_one("#problems", Static).display = False
        self.query_one("#result", Static).display = False

    async def on_screen_resume(self) -> None:
        products = await self.attempt(editing.list_products())
        if products is not None:
            self.products = {p.sku: p for p in products}
            self.query_one("#product", PickList).set_choices(
                Choice(p.sku, f"{p.sku}  {p.name}", p.number) for p in products if p.recipe
            )
        if not isinstance(self.focused, Input):
            self.query_one("#product", PickList).focus()

    def hint(self, field: str) -> str:
        if field == "lot-qty" and (lot := self.query_one("#scale", ScaleLine).lot):
            return f"Put what you use of {lot} on the scale: its stable weight is the amount (or type it)."
        if field == "confirm" and self.next_step:
            return self.next_step
        return super().hint(field)

    @property
    def sku(self) -> str | None:
        return self.query_one("#product", PickList).value

    @property
    def qty(self) -> str:
        return self.query_one("#qty", Input).value.strip()

    @property
    def tolerance(self) -> int:
        return self.ctx.config.production.recipe_tolerance_pct

    @on(PickList.Refused)
    def _refused(self, event: PickList.Refused) -> None:
        self.report(InvalidInput(event.message))

    @on(PickList.Picked, "#product")
    async def _product_picked(self, event: PickList.Picked) -> None:
        product = self.products.get(event.value)
        if product is None:
            self.report(InvalidInput(f"no product {event.value!r}: add it in the Catalog (F7)"))
            return
        self.query_one("#unit", Static).update(literal(product.unit))
        self.query_one("#result", Static).display = False
        self._forget_lots()
        if self.qty:
            await self.refresh_proposal()
        self.query_one("#qty", Input).focus()

    @on(Input.Submitted, "#qty")
    async def _qty_entered(self) -> None:
        if self.sku is None:
            self.report(InvalidInput("choose the product first: scan it or type its number"))
            self.query_one("#product", PickList).focus()
            return
        if not self._checked(self.qty, "quantity"):
            return
        if self.use and self.proposal and self.proposal.qty != parse_decimal(self.qty):
            self._forget_lots()
            self.say("the quantity changed: scan the lots you use again")
        if await self.refresh_proposal():
            self.query_one("#confirm", Button).focus()

    @on(Input.Submitted, "#lot-qty")
    async def _lot_qty_entered(self, event: Input.Submitted) -> None:
        if not self.use or not self._checked(event.value, "amount used"):
            return
        self.query_one("#scale", ScaleLine).disarm()  # typed: that is the amount
        code, (item, before) = list(self.use.items())[-1]
        self.use[code] = (item, parse_decimal(event.value))
        if await self.refresh_proposal():
            self.query_one("#confirm", Button).focus()
        else:
            self.use[code] = (item, before)

    def _checked(self, text: str, what: str) -> bool:
        try:
            to_milli(text, what)
        except InvalidInput as exc:
            self.report(exc)
            return False
        return True

    async def refresh_proposal(self) -> bool:
        """Ask the service what the batch would take; show it. False (and shown) on an error."""
        if self.sku is None or not self.qty:
            return False
        use = {code: qty for code, (_, qty) in self.use.items()}
        proposal = await self.attempt(
            production.propose(self.sku, self.qty, made=self.ctx.day(), use=use, tolerance_pct=self.tolerance)
        )
        if proposal is None:
            return False
        if use != {code: qty for code, (_, qty) in self.use.items()}:
            return True  # lots changed meanwhile (an UNDO, a scan): the refresh that change made shows
        self.proposal = proposal
        table = self.query_one("#proposal", DataTable)
        table.clear()
        for line in proposal.lines:
            table.add_row(
                cell(line.lot),
                cell(line.item),
                cell(f"{line.qty} {line.unit}"),
                cell(line.expires.isoformat() if line.expires else "-"),
                cell("scanned" if line.explicit else "first to expire"),
            )
        await self._show_problems(proposal)
        return True

    async def _show_problems(self, proposal: production.Proposal) -> None:
        items = {line.item for line in proposal.lines} | {s.item for s in proposal.shortages}
        expiring = await self.attempt(inventory.expiring(0, today=proposal.made)) or []
        expired = [r for r in expiring if r.item in items and r.expires and r.expires < proposal.made]
        lines = [f"Cannot make it: {s.describe()}" for s in proposal.shortages]
        lines += [f"Not the recipe: {d.describe()}" for d in proposal.deviations]
        lines += [
            f"Expired, not used: {r.lot} {r.item} ({r.on_hand} {r.unit}, expired {r.expires})"
            for r in expired
        ]
        problems = self.query_one("#problems", Static)
        problems.update(literal("\n".join(lines)))
        problems.display = bool(lines)
        problems.set_class(bool(proposal.shortages), "-blocking")

    async def handle_scan(self, result: ScanResult) -> bool:
        if result.kind == "product":
            if self.keeps(self.sku, result.code, bool(self.qty or self.use)):
                self.query_one("#product", PickList).pick(result.code)
            return True
        if result.kind in ("material_lot", "batch") and self.sku is not None and self.qty:
            await self.use_lot(result.code)
            return True
        if result.kind in ("material_lot", "batch"):
            self.report(InvalidInput(f"choose the product and quantity before scanning lot {result.code}"))
            return True
        return False

    async def use_lot(self, code: str) -> None:
        """The scanned lot replaces the proposal for its material (amount: `suggest_use`)."""
        assert self.sku is not None
        use = {c: q for c, (_, q) in self.use.items()}
        suggested = await self.attempt(
            lot_use.suggest_use(self.sku, self.qty, code, made=self.ctx.day(), use=use)
        )
        if suggested is None:
            return
        previous = self.use.pop(suggested.lot, None)
        self.use[suggested.lot] = (suggested.item, suggested.qty)
        if not await self.refresh_proposal():
            self.use.pop(suggested.lot, None)
            if previous is not None:
                self.use[suggested.lot] = previous
            return
        if suggested.lot not in self.use:
            return  # undone while the proposal was asked for
        self.query_one("#lot-caption", Label).update(literal(f"Used from {suggested.lot}:"))
        self.query_one("#lot-unit", Static).update(literal(f"{suggested.unit} of {suggested.item}"))
        self.query_one("#lot-row").display = True
        lot_qty = self.query_one("#lot-qty", Input)
        lot_qty.value = format(suggested.qty, "f")
        lot_qty.focus()
        self.query_one("#scale", ScaleLine).arm(suggested.lot)

    @on(ScaleLine.Weighed)
    async def _weighed(self, event: ScaleLine.Weighed) -> None:
        """A fresh stable weight for the lot being weighed: it is that line's amount."""
        if event.lot not in self.use:
            return  # undone meanwhile
        weight = await self.attempt(lot_use.weighed(event.lot, event.reading.quantity))
        if weight is None:
            return
        before = self.use[event.lot]
        self.use[event.lot] = (weight.item, weight.qty)
        if not await self.refresh_proposal():
            self.use[event.lot] = before
            return
        self.query_one("#lot-qty", Input).value = format_decimal(weight.qty)
        self.say(f"weighed {weight.given} of {weight.item} from {weight.lot}")
        pending = [line.item for line in self.proposal.lines if not line.explicit] if self.proposal else []
        after = (
            f"next: scan a lot of {pending[0]}" if pending else "every line weighed: Enter records the batch"
        )
        self.next_step = f"{weight.given} of {weight.item} weighed; {after}."
        self.query_one("#confirm", Button).focus()
        self.query_one("#hint", Static).update(literal(self.next_step))

    def handle_quantity(self, quantity: int) -> bool:
        self.query_one("#qty", Input).value = str(quantity)
        self.query_one("#qty", Input).focus()
        self.run_worker(self._qty_entered(), name="proposing", group="make-qty", exit_on_error=False)
        return True

    def _forget_lots(self) -> None:
        self.use.clear()
        self.next_step = ""
        self.query_one("#scale", ScaleLine).disarm()
        self.query_one("#lot-row").display = False

    def action_undo(self) -> None:
        if not self.use:
            self.say("no scanned lot to forget")
            return
        code = list(self.use)[-1]
        del self.use[code]
        scale = self.query_one("#scale", ScaleLine)
        if scale.lot == code:
            scale.disarm()
        if not self.use:
            self.query_one("#lot-row").display = False
        self.say(f"lot {code} forgotten: the proposal is back for its material")
        self.run_worker(self.refresh_proposal(), name="proposing", group="make-proposal", exit_on_error=False)

    def draft(self) -> str | None:
        if self.sku is None and not self.qty:
            return None
        lots = f", {len(self.use)} scanned lot(s)" if self.use else ""
        return f"{self.qty or 'no quantity yet'} {self.sku or ''}{lots}".strip()

    def reset(self) -> None:
        self._forget_lots()
        self.proposal = None
        self.query_one("#product", PickList).clear()
        self.query_one("#qty", Input).value = ""
        self.query_one("#unit", Static).update("")
        self.query_one("#proposal", DataTable).clear()
        self.query_one("#problems", Static).display = False
        self.query_one("#product", PickList).focus()

    def action_done(self) -> None:
        if self.sku is None:
            self.report(InvalidInput("choose the product first: scan it or type its number"))
            self.query_one("#product", PickList).focus()
        elif not self.qty:
            self.report(InvalidInput("type how many were made, then Enter"))
            self.query_one("#qty", Input).focus()
        elif not self.busy:
            self.busy = True
            self._make(self.sku, self.qty)

    def refused(self, exc: LotkeeperError) -> None:
        """A batch that strays from its recipe is asked about; any other refusal is shown."""
        if not isinstance(exc, RecipeDeviation) or self.sku is None:
            super().refused(exc)
            return
        sku, qty = self.sku, self.qty
        self.app.bell()

        def answered(meant: bool | None) -> None:
            if meant and not self.busy:
                self.busy = True
                self._make(sku, qty, allow_deviation=True)
            elif not meant:  # after the dialog has handed the focus back
                self.call_after_refresh(self.query_one("#lot-qty" if self.use else "#qty", Input).focus)

        question = f"{exc.message}.\nRecord {qty} {sku} as made with these amounts?"
        record, correct = (
            Answer("record it as made (it is kept as a deviation)", True),
            Answer("correct the amount", False),
        )
        self.app.push_screen(Ask(question, enter=record, escape=correct), answered)

    @work(group="make", name="making the batch", exit_on_error=False)
    async def _make(self, sku: str, qty: str, allow_deviation: bool = False) -> None:
        try:
            made = await self.submit(
                production.make(
                    sku,
                    qty,
                    use={code: q for code, (_, q) in self.use.items()},
                    made=self.ctx.day(),
                    station=self.ctx.station,
                    codes=self.ctx.config.codes,
                    allow_deviation=allow_deviation,
                    tolerance_pct=self.tolerance,
                )
            )
            if made is None:
                return
            job = await self.attempt(self.ctx.printing.enqueue_new_lot(made.lot, self.ctx.config.labels))
            when = f", best before {made.best_before}" if made.best_before else ""
            self.reset()
            result = self.query_one("#result", Static)
            self.shown_batch = made.lot
            batch = f"Made batch {made.lot}: {made.qty} {made.product}{when}"
            result.update(literal(f"{batch}; labels not queued: reprint them from Labels (F8)."))
            result.display = True
            if job is not None:

                def show(job: Job) -> None:
                    if result.display and self.shown_batch == made.lot:  # (not the next batch's)
                        labels = f"{job.copies} label(s) {job.status.value} (job {job.id})"
                        result.update(literal(f"{batch}; {labels}."))

                self.follow_job(job, show)
            self.say(f"batch {made.lot} recorded")
        finally:
            self.busy = False
