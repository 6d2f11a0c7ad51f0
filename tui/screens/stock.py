"""Stock on hand: every lot with what is left, its expiry and where it sits; moves and corrections.

Filters narrow the list as you type (lot code, material, SKU or location), by kind, or to lots
expiring soon. Scanning a location's label (here, or anywhere that has no use for it) starts
moving lots there: each lot label scanned next is moved to it by `moves.move_lot`, one scan
each, and the line under the filters says what happened to it (UNDO takes the last one back);
DONE or Escape stops. `t` counts a location (`StocktakeScreen`). Corrections (adjust, waste,
count) always ask for a reason: the ledger keeps it, and an inspector reads it. Quantities are
typed as text and parsed by the service, the one place that knows the rules (decimal comma,
negative only for an adjustment...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Label, Select, Static

from tui.codes.scan import GS, clean_scan
from tui.errors import LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.screens.modes import OPENS
from tui.services import inventory, moves
from tui.services.inventory import Adjusted, StockRow
from tui.services.moves import Moved
from tui.store.models import LotKind
from tui.widgets.cells import cell
from tui.widgets.literal import clean, literal
from tui.widgets.scans import Scanned

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult

MAX_ROWS = 500
"""Rows shown at once: a filter finds the rest (a table of 100,000 lots helps nobody)."""


@dataclass(frozen=True)
class Correction:
    action: str
    """`adjust`, `waste` or `count`."""
    title: str
    qty_label: str


CORRECTIONS = {
    "adjust": Correction("adjust", "Adjust", "Change (+ adds, - removes)"),
    "waste": Correction("waste", "Waste", "Quantity wasted"),
    "count": Correction("count", "Count", "Quantity counted on the shelf"),
}


class CorrectLot(ModalScreen[Adjusted | None]):
    """Ask for the quantity and the reason, then run the correction; errors keep the dialog open."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, correction: Correction, row: StockRow, station: str) -> None:
        super().__init__()
        self.correction = correction
        self.row = row
        self.station = station

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(id="dialog"):
            yield Label(literal(f"{self.correction.title} lot {row.lot}: {row.item}"), classes="title")
            yield Label(literal(f"On hand: {row.on_hand:f} {row.unit}"))
            yield Label(literal(f"{self.correction.qty_label} ({row.unit}):"))
            yield Input(id="qty")
            yield Label("Reason:")
            yield Input(id="reason", placeholder="e.g. spilled, recount after stocktake")
            yield Static(id="error")

    @on(Input.Submitted, "#qty")
    def next_field(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    async def submit(self) -> None:
        qty = self.query_one("#qty", Input).value
        reason = self.query_one("#reason", Input).value
        lot, station = self.row.lot, self.station
        try:
            if self.correction.action == "adjust":
                done = await inventory.adjust(lot, qty, reason=reason, station=station)
            elif self.correction.action == "waste":
                done = await inventory.waste(lot, qty, reason=reason, station=station)
            else:
                done = await inventory.count(lot, qty, reason=reason, station=station)
        except LotkeeperError as exc:
            self.app.bell()
            self.query_one("#error", Static).update(literal(exc.message))
            return
        self.dismiss(done)


class StockScreen(LotScreen):
    CSS_PATH = "stock.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", tooltip="Type part of a lot code, material, SKU or place"),
        Binding(
            "a", "correct('adjust')", "Adjust", tooltip="Add or remove stock from the lot, with a reason"
        ),
        Binding("w", "correct('waste')", "Waste", tooltip="Record stock of the lot thrown away"),
        Binding("c", "correct('count')", "Count", tooltip="Set the lot to what was counted on the shelf"),
        Binding(
            "t",
            "stocktake",
            "Stocktake",
            show=False,  # the footer has no room at 80 columns: the moving line and the palette say it
            tooltip="Count a location: scan its label, then each lot",
        ),
        Binding("ctrl+z", "undo", "Undo move", show=False, tooltip="Take the last moved lot back"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.rows: list[StockRow] = []
        self.shown: list[StockRow] = []
        self.place: tuple[str, str] | None = None
        """Where scanned lots are being moved to: (code, what the scan said it is)."""
        self.moved: list[Moved] = []
        """The lots moved since the location was scanned, last one last (UNDO takes it back)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="/ filter: lot, material, SKU, place", id="filter")
            yield Select(
                [("All kinds", ""), ("Materials", LotKind.MATERIAL.value), ("Products", LotKind.BATCH.value)],
                value="",
                allow_blank=False,
                id="kind",
                compact=True,
            )
            yield Checkbox("Expiring", id="expiring", compact=True)
        yield Static(id="moving")
        yield DataTable(id="lots", cursor_type="row", zebra_stripes=True)
        yield Static(id="count")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#lots", DataTable)
        table.add_columns("Lot", "Item", "On hand", "Expires", "Location")
        table.focus()
        self.query_one("#moving", Static).display = False

    def on_screen_resume(self) -> None:
        self.load()

    @work(exclusive=True, group="stock-load", exit_on_error=False)
    async def load(self) -> None:
        self.rows = await inventory.stock()
        self.apply_filters()

    async def on_scanned(self, message: Scanned) -> None:
        """Keys that came too fast for typing (fast fingers, a paste, a scanner) while the
        filter has the cursor are what the filter is: text to filter by, never a scan to open."""
        message.prevent_default()  # LotScreen's handler runs through super(), not again after
        field = self.query_one("#filter", Input)
        if self.focused is field and not message.opened:
            message.stop()
            field.value = clean_scan(message.scan.text).text.replace(GS, "")
            self.filter_done()
            return
        await super().on_scanned(message)

    async def handle_scan(self, result: ScanResult) -> bool:
        """A location starts moving lots there; while moving, every lot scanned is moved (and
        anything else refused, so a stray scan never takes the maker off the shelf). Otherwise
        a product or material scanned here (or that the App opened Stock for) is shown."""
        if result.kind == "location":
            self.start_moving(result.code, result.message)
        elif self.place is not None:
            if result.kind in ("material_lot", "batch", "unknown"):
                await self.move_scanned(result.code)  # an unknown code: the service says so
            else:
                self.tell(f"{result.message}: not a lot label, nothing moved", error=True)
        elif OPENS.get(result.kind) == "stock":
            await self.show_item(result.code)
        else:
            return False
        return True

    # -- moving lots ---------------------------------------------------------------------------

    def start_moving(self, code: str, said: str) -> None:
        self.place = (code, said)
        self.moved.clear()
        self.query_one("#filter", Input).value = code  # the shelf's lots: each moved one appears
        self.query_one("#lots", DataTable).focus()
        self.query_one("#moving", Static).display = True
        self.tell("scan each lot label to move it here; DONE or Escape stops; t counts this shelf")

    def stop_moving(self) -> None:
        if self.place is not None:
            self.say(f"stopped moving lots to {self.place[0]}: {len(self.moved)} moved")
        self.place = None
        self.query_one("#moving", Static).display = False

    def tell(self, what: str, *, error: bool = False) -> None:
        """The line under the filters: where lots go, and what the last scan did."""
        if self.place is None:
            return
        said = self.place[1]
        moving = self.query_one("#moving", Static)
        moving.update(literal(f"Moving lots to {said} ({len(self.moved)} moved)\n{what}"))
        moving.set_class(error, "-error")
        if error:
            self.app.bell()

    async def move_scanned(self, lot: str) -> None:
        assert self.place is not None
        try:
            done = await moves.move_lot(lot, self.place[0], station=self.ctx.station)
        except LotkeeperError as exc:
            self.tell(f"not moved: {exc.message}", error=True)
            return
        if done.moved:
            self.moved.append(done)
            self.tell(f"{done.lot} {done.item}: moved here from {done.previous or 'no location'}")
        else:
            self.tell(f"{done.lot} {done.item}: already here, nothing to move")
        self.relocated(done.lot, done.location or None)

    def relocated(self, lot: str, location: str | None) -> None:
        """Show a lot's new place without reading the whole stock again."""
        self.rows = [row._replace(location=location) if row.lot == lot else row for row in self.rows]
        self.apply_filters()
        table = self.query_one("#lots", DataTable)
        shown = [row.lot for row in self.shown[:MAX_ROWS]]
        if lot in shown:
            table.move_cursor(row=shown.index(lot))

    def action_undo(self) -> None:
        if self.place is None or not self.moved:
            self.say("no move to undo: scan a location, then lots, to move them")
            return
        self.run_worker(self._undo_move(), name="undoing a move", group="stock-move", exit_on_error=False)

    async def _undo_move(self) -> None:
        last = self.moved[-1]
        try:
            if last.previous is None:
                reason = f"move to {last.location} undone"
                back = await moves.unplace_lot(last.lot, reason=reason, station=self.ctx.station)
            else:
                back = await moves.move_lot(last.lot, last.previous, station=self.ctx.station)
        except LotkeeperError as exc:
            self.tell(f"not taken back: {exc.message}", error=True)
            return
        self.moved.pop()
        self.tell(f"{last.lot}: move undone, back at {last.previous or 'no location'}")
        self.relocated(back.lot, back.location or None)

    def action_done(self) -> None:
        if self.place is None:
            super().action_done()
        else:
            self.stop_moving()

    def action_cancel(self) -> None:
        if self.place is None:
            super().action_cancel()
        else:
            self.stop_moving()

    def action_stocktake(self) -> None:
        from tui.screens.stocktake import StocktakeScreen

        self.app.push_screen(StocktakeScreen(self.ctx, self.place[0] if self.place else None))

    async def show_item(self, item: str) -> None:
        """Open on one material or product."""
        self.query_one("#filter", Input).value = item
        self.query_one("#lots", DataTable).focus()
        self.apply_filters()

    @on(Input.Changed, "#filter")
    @on(Select.Changed, "#kind")
    @on(Checkbox.Changed, "#expiring")
    def filters_changed(self) -> None:
        self.apply_filters()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#lots", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def apply_filters(self) -> None:
        wanted = clean(self.query_one("#filter", Input).value).strip().casefold()
        kind = self.query_one("#kind", Select).value
        limit = self.ctx.day() + timedelta(days=self.ctx.expiring_days)
        expiring_only = self.query_one("#expiring", Checkbox).value
        self.shown = [
            row
            for row in self.rows
            if (not kind or row.kind.value == kind)
            and (not expiring_only or (row.expires is not None and row.expires <= limit))
            and (not wanted or wanted in f"{row.lot}\n{row.item}\n{row.location or ''}".casefold())
        ]
        table = self.query_one("#lots", DataTable)
        table.clear()
        today = self.ctx.day()
        for row in self.shown[:MAX_ROWS]:
            expired = row.expires is not None and row.expires < today
            soon = row.expires is not None and row.expires <= limit
            table.add_row(
                cell(row.lot, "bold"),
                cell(row.item),
                cell(f"{row.on_hand:f} {row.unit}"),
                cell(row.expires or "", "red" if expired else "yellow" if soon else ""),
                cell(row.location or ""),
            )
        more = f" (first {MAX_ROWS} shown: filter to see the rest)" if len(self.shown) > MAX_ROWS else ""
        self.query_one("#count", Static).update(literal(f"{len(self.shown)} of {len(self.rows)} lots{more}"))

    def action_correct(self, action: str) -> None:
        table = self.query_one("#lots", DataTable)
        if not self.shown or not 0 <= table.cursor_row < min(len(self.shown), MAX_ROWS):
            self.say("choose a lot first (arrow keys), then press a, w or c")
            return
        row = self.shown[table.cursor_row]
        self.app.push_screen(CorrectLot(CORRECTIONS[action], row, self.ctx.station), self._corrected)

    def _corrected(self, done: Adjusted | None) -> None:
        if done is not None:
            self.say(f"lot {done.lot}: {done.delta:+f} {done.unit}, now {done.on_hand:f} {done.unit}")
            self.load()
