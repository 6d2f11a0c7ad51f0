"""Stocktake of one location at the bench: scan the shelf, then each lot and type its count.

Pushed from the Stock screen (`t`), on the location lots were being moved to, or waiting for a
location's label. Nothing is written while counting: each count is checked against its lot by
`stocktake.tally` (units, packs, whole pieces) and kept in the session; the lots recorded here
that have no count yet are listed as missing, and the maker marks each one gone (counted as 0)
or kept elsewhere (taken off this location), or all the unmarked ones gone at once. Finishing
(Ctrl+S or DONE) asks, then `stocktake.confirm` writes every count and mark in one transaction.
Every scan is used here (a stray order label does not take the maker off the shelf).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from tui.codes.units import format_decimal
from tui.errors import InvalidInput, LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.services import stocktake
from tui.services.inventory import StockRow
from tui.services.stocktake import MissingMark, Stocktake, StocktakeResult
from tui.widgets.ask import Answer, Ask
from tui.widgets.cells import cell
from tui.widgets.literal import literal

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult

MARKED = {
    None: "missing",
    MissingMark.GONE: "missing: gone",
    MissingMark.ELSEWHERE: "missing: elsewhere",
}


class StocktakeScreen(LotScreen):
    CSS_PATH = "stocktake.tcss"
    SUB_TITLE = "Stocktake"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", tooltip="Forget the lot being counted, or leave (asks first)"),
        # Ctrl+S and / are told on the screen's top line: the footer keeps room for Quit and F1-F9.
        Binding(
            "ctrl+s",
            "done",
            "Finish",
            show=False,
            tooltip="Record every count and mark (same as scanning DONE)",
        ),
        Binding("g", "mark('gone')", "Gone", tooltip="The highlighted missing lot is gone: count it as 0"),
        Binding("e", "mark('elsewhere')", "Elsewhere", tooltip="The highlighted missing lot is elsewhere"),
        Binding("a", "all_gone", "All gone", tooltip="Mark every unmarked missing lot gone"),
        Binding(
            "slash",
            "type_code",
            "Type code",
            show=False,
            tooltip="Type a location or lot code instead of scanning",
        ),
        Binding("ctrl+z", "undo", "Undo count", show=False, tooltip="Forget the last count"),
    ]

    def __init__(self, ctx: ScreenContext, location: str | None = None) -> None:
        super().__init__(ctx)
        self.location = location
        self.take: Stocktake | None = None
        self.counting: StockRow | None = None
        """The lot scanned whose count is being typed."""
        self.row_lots: list[str] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="where")
        yield DataTable(id="lots", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="entry-row"):
            yield Label("Location:", id="caption")
            yield Input(id="entry", compact=True)
            yield Static("", id="entry-unit")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#lots", DataTable).add_columns("Lot", "Item", "Recorded", "Counted", "State")
        self.show()
        if self.location is not None:
            self.begin(self.location)

    # -- scans ------------------------------------------------------------------------------

    async def handle_scan(self, result: ScanResult) -> bool:
        if result.kind == "location":
            self.begin(result.code)
        elif result.kind in ("material_lot", "batch", "unknown"):
            await self.count_lot(result.code)
        else:
            self.refuse(f"{result.message}: not a lot or location label, nothing counted")
        return True

    def handle_quantity(self, quantity: int) -> bool:
        if self.counting is None:
            return False
        self.query_one("#entry", Input).value = str(quantity)
        self.run_worker(self._tally(str(quantity)), name="counting", group="stocktake", exit_on_error=False)
        return True

    def refuse(self, message: str) -> None:
        self.report(InvalidInput(message))

    @work(exclusive=True, group="stocktake-start", exit_on_error=False)
    async def begin(self, location: str) -> None:
        take = self.take
        if take is not None and (take.tallies or take.marks):
            if location.upper() != take.location:
                self.refuse(
                    f"{location} scanned while counting {take.location}: finish (Ctrl+S) or leave "
                    "(Escape) first"
                )
            return
        started = await self.attempt(stocktake.start_stocktake(location))
        if started is None:
            return
        self.take, self.counting = started, None
        self.show()
        self.query_one("#lots", DataTable).focus()

    async def count_lot(self, code: str) -> None:
        take = self.take
        if take is None:
            self.refuse(f"scan the label of the location first, then lot {code}")
            return
        if self.counting is not None and self.counting.lot != code.upper():
            self.refuse(f"type the count of {self.counting.lot} and Enter first (Escape forgets it)")
            return
        row = await self.attempt(stocktake.about(code))
        if row is None:
            return
        self.counting = row
        entry = self.query_one("#entry", Input)
        entry.value = ""
        entry.placeholder = f"recorded {_qty(row.on_hand)}"
        self.show()
        entry.focus()

    # -- typing -----------------------------------------------------------------------------

    def action_type_code(self) -> None:
        self.query_one("#entry", Input).focus()

    @on(Input.Submitted, "#entry")
    async def _entered(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.counting is not None:
            await self._tally(text)
        elif text and self.take is None:
            event.input.value = ""
            self.begin(text)
        elif text:
            event.input.value = ""
            await self.count_lot(text)

    async def _tally(self, text: str) -> None:
        if self.take is None or self.counting is None:
            return
        counted = await self.attempt(stocktake.tally(self.take, self.counting.lot, text))
        if counted is None:
            return
        self.counting = None
        entry = self.query_one("#entry", Input)
        entry.value, entry.placeholder = "", ""
        self.show(cursor=counted.lot)
        self.query_one("#lots", DataTable).focus()
        self.say(f"{counted.lot}: counted {counted.given}")

    # -- marking ----------------------------------------------------------------------------

    def _highlighted(self) -> str | None:
        table = self.query_one("#lots", DataTable)
        if not 0 <= table.cursor_row < len(self.row_lots):
            return None
        return self.row_lots[table.cursor_row]

    def action_mark(self, how: str) -> None:
        take, lot = self.take, self._highlighted()
        if take is None or lot is None:
            self.say("scan the location first; then choose a missing lot (arrow keys)")
            return
        wanted = MissingMark(how)
        try:
            stocktake.mark(take, lot, None if take.marks.get(lot) is wanted else wanted)
        except LotkeeperError as exc:
            self.report(exc)
            return
        self.show(cursor=lot)

    def action_all_gone(self) -> None:
        if self.take is None:
            self.say("scan the location first")
            return
        for row in self.take.not_scanned():
            if row.lot not in self.take.marks:
                stocktake.mark(self.take, row.lot, MissingMark.GONE)
        self.show()

    def action_undo(self) -> None:
        forgotten = stocktake.untally(self.take, "") if self.take else None
        if forgotten is None:
            self.say("no count to undo")
            return
        self.say(f"count of {forgotten.lot} forgotten")
        self.show()

    # -- finishing --------------------------------------------------------------------------

    def summary(self) -> str:
        take = self.take
        assert take is not None
        marks = list(take.marks.values())
        left = len(take.not_scanned()) - len(marks)
        return (
            f"{len(take.tallies)} counted, {marks.count(MissingMark.GONE)} gone (count 0), "
            f"{marks.count(MissingMark.ELSEWHERE)} elsewhere, {left} missing unmarked"
        )

    def action_done(self) -> None:
        if self.take is None:
            self.refuse("nothing to finish: scan the label of the location to count")
            return
        if self.counting is not None:
            self.refuse(f"type the count of {self.counting.lot} and Enter first (Escape forgets it)")
            return
        if self.busy:
            return
        left = (
            "\nMissing lots not marked stay as recorded."
            if len(self.take.not_scanned()) > len(self.take.marks)
            else ""
        )
        question = f"Record the stocktake of {self.take.location}?\n{self.summary()}.{left}"
        record, back = Answer("record it", True), Answer("go back to counting", False)
        self.app.push_screen(Ask(question, enter=record, escape=back), self._answered)

    def _answered(self, record: bool | None) -> None:
        if record and not self.busy and self.take is not None:
            self.busy = True
            self._record(self.take)

    @work(group="stocktake-record", name="recording the stocktake", exit_on_error=False)
    async def _record(self, take: Stocktake) -> None:
        try:
            done: StocktakeResult | None = await self.attempt(
                stocktake.confirm(take, station=self.ctx.station)
            )
        finally:
            self.busy = False
        if done is None:
            return
        self.say(
            f"stocktake of {done.location} recorded: {len(done.counted)} counted, "
            f"{len(done.marked)} gone, {len(done.elsewhere)} kept elsewhere"
        )
        self.dismiss()

    def action_cancel(self) -> None:
        if self.counting is not None:
            self.counting = None
            entry = self.query_one("#entry", Input)
            entry.value, entry.placeholder = "", ""
            self.show()
            self.query_one("#lots", DataTable).focus()
            return
        take = self.take
        if take is None or not (take.tallies or take.marks):
            self.dismiss()
            return
        question = f"Throw away this stocktake of {take.location} ({self.summary()})? Nothing has been saved."
        keep, discard = Answer("keep counting", False), Answer("throw it away", True)
        self.app.push_screen(Ask(question, enter=keep, escape=discard), self._discarded)

    def _discarded(self, discard: bool | None) -> None:
        if discard:
            self.say("stocktake thrown away: nothing was saved")
            self.dismiss()

    # -- showing ----------------------------------------------------------------------------

    def show(self, cursor: str | None = None) -> None:
        """The lots of the session and the line that says where counting stands."""
        take, where = self.take, self.query_one("#where", Static)
        caption, unit = self.query_one("#caption", Label), self.query_one("#entry-unit", Static)
        table = self.query_one("#lots", DataTable)
        table.clear()
        self.row_lots = []
        if take is None:
            where.update("Scan the label of the location to count (or type its code below and Enter).")
            caption.update("Location:")
            unit.update("")
            return
        for row in take.expected:
            counted = take.tallies.get(row.lot)
            state = "counted" if counted else MARKED[take.marks.get(row.lot)]
            shown = f"{_qty(counted.counted)} {counted.unit} ({_change(counted.delta)})" if counted else ""
            if take.marks.get(row.lot) is MissingMark.GONE:
                shown = f"0 {row.unit}"
            self._row(row.lot, row.item, f"{_qty(row.on_hand)} {row.unit}", shown, state)
        expected = {row.lot for row in take.expected}
        for t in take.tallies.values():
            if t.lot not in expected:
                state = f"found here (recorded at {t.location or 'no location'})"
                self._row(t.lot, t.item, f"{_qty(t.recorded)} {t.unit}", f"{_qty(t.counted)} {t.unit}", state)
        if cursor in self.row_lots:
            table.move_cursor(row=self.row_lots.index(cursor))
        where.update(
            literal(
                f"Stocktake of {take.location} ({take.name}): {self.summary()}\n"
                "Ctrl+S or DONE records it all; / types a code; nothing is saved before"
            )
        )
        if self.counting is not None:
            caption.update(literal(f"Count of {self.counting.lot}:"))
            unit.update(literal(f"{self.counting.unit} of {self.counting.item}"))
        else:
            caption.update("Lot:")
            unit.update("scan each lot, or type its code (/)")

    def _row(self, lot: str, item: str, recorded: str, counted: str, state: str) -> None:
        self.row_lots.append(lot)
        style = "yellow" if state.startswith("missing") else "green" if state == "counted" else ""
        self.query_one("#lots", DataTable).add_row(
            cell(lot, "bold"), cell(item), cell(recorded), cell(counted), cell(state, style)
        )


def _qty(value: Decimal) -> str:
    return format_decimal(value)


def _change(delta: Decimal) -> str:
    return f"+{_qty(delta)}" if delta > 0 else _qty(delta) if delta else "no change"
