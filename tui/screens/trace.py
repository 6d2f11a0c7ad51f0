"""Trace / recall: scan a lot or order, see where it came from, where it went and who to call.

The customer list comes first because in a recall it is what matters; the trees show the path.
A mock-recall drill times the real thing: the clock starts when the lot is scanned and stops
when the customer list is exported (Ctrl+S, or the DONE command barcode), and the time is kept
in the event log.

A recall can reach 2,000 batches, 100,000 sale lines and 20,000 customers, and must show at
once: the customer table draws only the rows on screen (`LazyTable`), a tree node gets its
children when it is opened (at most `PAGE` at a time), and the recall list for the CSV is made
when it is exported. Leaving the screen lets go of a trace (it is traced again on return).
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Static, TabbedContent, TabPane

from tui.collector import give_back_memory
from tui.errors import InvalidInput, LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.screens.modes import OPENS
from tui.services import recall, recall_pack
from tui.services.tracing import Trace, TracedCustomer, trace
from tui.widgets.cells import cell
from tui.widgets.lazy_table import Column, LazyTable, Rows
from tui.widgets.literal import literal
from tui.widgets.trace_tree import TraceTree, node_label

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult

KIND_NAMES = {"material_lot": "material lot", "batch": "batch", "order": "order", "sale": "order"}


CUSTOMER_COLUMNS = (Column("Customer", bold=True), Column("Email"), Column("Phone"), Column("Orders"))


def customer_row(customer: TracedCustomer) -> tuple[str, str, str, str]:
    return (customer.name, customer.email or "", customer.phone or "", ", ".join(customer.orders))


def _let_go(_trace: Trace | None) -> None:
    """Holds the trace shown before until the screen has been painted (then it is freed)."""


class ExportPath(ModalScreen[Path | None]):
    """Ask where the recall list (or the pack's folder) goes; Enter keeps the suggestion."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, suggested: Path, prompt: str = "Save the recall list (CSV) as:") -> None:
        super().__init__()
        self.suggested = suggested
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.prompt)
            yield Input(str(self.suggested), id="path")
            yield Label("Enter to save, Escape to cancel", classes="hint")

    @on(Input.Submitted, "#path")
    def chosen(self, event: Input.Submitted) -> None:
        self.dismiss(Path(event.value.strip()) if event.value.strip() else None)


class TraceScreen(LotScreen):
    CSS_PATH = "trace.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export CSV", tooltip="Save the recall list (customers and contacts)"),
        Binding("ctrl+r", "drill", "Recall drill", tooltip="Time a mock recall: scan, then export"),
        Binding(
            "ctrl+n",
            "recall_pack",
            "Recall pack",
            id="trace.recall_pack",
            tooltip="Write the recall pack (CSV, spreadsheet, PDF) and draft notices to a folder",
        ),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.current: Trace | None = None
        self.released: str | None = None
        """The code of a trace let go of when the screen was left: traced again on return."""
        self.drill_armed = False
        self.drill_started: float | None = None
        self._drill_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Scan or type a lot code or order ref, then Enter", id="code")
        yield Static(id="summary")
        with TabbedContent(id="views"):
            with TabPane("Customers", id="tab-customers"):
                yield LazyTable(id="customers")
            with TabPane("Where it went", id="tab-forward"):
                yield TraceTree(id="forward")
            with TabPane("Where it came from", id="tab-backward"):
                yield TraceTree(id="backward")
        yield ProgressBar(id="pack-progress", show_eta=False)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#customers", LazyTable).show(CUSTOMER_COLUMNS, ())

    def on_screen_suspend(self) -> None:
        """Let go of a big trace when another mode is shown (not under a dialog, not in a drill)."""
        if self in self.app.screen_stack:
            return
        if self.current is not None and self.drill_started is None:
            self.released = self.current.code
            self.current = None
            self.query_one("#customers", LazyTable).clear()
            for tree in self.query(TraceTree):
                tree.forget()
            give_back_memory()

    def on_screen_resume(self) -> None:
        if self.released is not None:
            # After what is already queued: a scan that opened this screen is shown instead.
            self.call_later(self._trace_released)

    async def _trace_released(self) -> None:
        code, self.released = self.released, None
        if code is not None and self.current is None:
            await self.show_code(code)

    async def handle_scan(self, result: ScanResult) -> bool:
        """A lot or an order scanned here (or that the App opened Trace for) is traced."""
        if OPENS.get(result.kind) != "trace":
            return False
        typed = self.query_one("#code", Input)
        if typed.value:  # a scan replaces what was typed (left alone when empty: no relayout)
            typed.value = ""
        await self.show_code(result.code)
        return True

    @on(Input.Submitted, "#code")
    async def typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            await self.show_code(event.value)

    async def show_code(self, code: str) -> None:
        """Trace `code` (lot code or order ref) and show it; a running drill starts its clock here."""
        self.released = None  # (a trace let go of is not traced again once another is asked for)
        if self.drill_armed and self.drill_started is None:
            self.drill_started = time.monotonic()
            self._drill_timer = self.set_interval(0.1, self._tick)
        found = await self.attempt(trace(code))
        if found is None:
            return
        previous, self.current = self.current, found
        self._show(found)
        # A recall's trace takes a while to free: after the new one is on screen, not before.
        self.call_after_refresh(_let_go, previous)

    def _show(self, found: Trace) -> None:
        root = found.backward if found.kind == "order" else found.forward
        summary = node_label(root)
        summary.append_text(
            cell(
                f"\n{KIND_NAMES.get(found.kind, found.kind)}: {len(found.material_lots)} material lot(s),"
                f" {len(found.batches)} batch(es), {len(found.customers)} customer(s)"
                + (f"; suppliers: {', '.join(found.suppliers)}" if found.suppliers else "")
            )
        )
        self.query_one("#summary", Static).update(summary, layout=False)  # its height is fixed
        self.query_one("#customers", LazyTable).show(CUSTOMER_COLUMNS, Rows(found.customers, customer_row))
        self.query_one("#views", TabbedContent).active = "tab-customers"
        if self.has_class("-packing"):  # (a class left alone costs no restyle on a scan)
            self.remove_class("-packing")
        for tree in self.query(TraceTree):
            tree.forget()

    @on(TabbedContent.TabActivated, "#views")
    def _fill_tree(self) -> None:
        """A tree is filled when its tab is shown: a scan repaints only what is on screen."""
        if self.current is None:
            return
        active = self.query_one("#views", TabbedContent).active
        for name, root in (("forward", self.current.forward), ("backward", self.current.backward)):
            if active == f"tab-{name}":
                self.query_one(f"#{name}", TraceTree).show(root)

    def action_done(self) -> None:
        """DONE command barcode: export to the suggested file, no typing needed."""
        if self._can_export():
            self._start_export(self._suggested_path())

    def action_export(self) -> None:
        if self._can_export():
            self.app.push_screen(ExportPath(self._suggested_path()), self._export_chosen)

    def _export_chosen(self, path: Path | None) -> None:
        if path is not None:
            self._start_export(path)

    def _start_export(self, path: Path) -> None:
        self.run_worker(self._export(path), group="export", exclusive=True, exit_on_error=False)

    def _can_export(self) -> bool:
        if self.current is None:
            self.report(InvalidInput("nothing to export yet: scan or type a lot code first"))
            return False
        return True

    def _suggested_path(self) -> Path:
        assert self.current is not None
        return recall.default_recall_path(self.ctx.exports, self.current.code, datetime.now())

    async def _export(self, path: Path) -> None:
        found = self.current  # (another scan may replace it while the list is written)
        assert found is not None
        try:
            rows = await recall.recall_rows(found)
            # In a thread: a recall's 100,000 rows take a second to write, keys are read meanwhile.
            written = await asyncio.to_thread(recall.write_recall_csv, rows, path)
        except LotkeeperError as exc:
            self.report(exc)
            return
        message = f"recall list saved: {written} ({len(found.customers)} customers)"
        if self.drill_started is not None:
            seconds = time.monotonic() - self.drill_started
            self._stop_drill()
            message = f"Recall drill done in {seconds:.1f} s: {message}"
            self.run_worker(
                recall.record_drill(found.code, seconds, len(found.customers), self.ctx.station),
                exit_on_error=False,
            )
        self.query_one("#status", Static).update(literal(message))
        self.say(message)

    def action_recall_pack(self) -> None:
        """Ask for a folder, then write the pack (CSV, .xlsx, PDF) and the notices into it."""
        if not self._can_export():
            return
        assert self.current is not None
        if self.current.kind == "order":
            self.report(InvalidInput("a recall pack starts from a lot: scan the batch or the material lot"))
            return
        folder = self._suggested_path().with_suffix("")
        prompt = "Write the recall pack and customer notices into the folder:"
        self.app.push_screen(ExportPath(folder, prompt), self._pack_chosen)

    def _pack_chosen(self, folder: Path | None) -> None:
        if folder is not None:
            self.run_worker(self._write_pack(folder), group="export", exclusive=True, exit_on_error=False)

    async def _write_pack(self, folder: Path) -> None:
        found = self.current
        assert found is not None
        bar = self.query_one("#pack-progress", ProgressBar)
        status = self.query_one("#status", Static)
        m = self.ctx.config.maker

        def progress(fraction: float, what: str) -> None:  # (from the writing thread)
            self.app.call_from_thread(self._progressed, fraction, what)

        try:
            maker = recall_pack.maker_of(m.name, m.address, m.email, m.phone)
            status.update(literal(f"Gathering the recall pack of {found.code}..."))
            pack = await recall_pack.recall_pack(found.code)
            bar.update(total=100, progress=0)
            self.set_class(True, "-packing")
            # In a thread: 100,000 rows take seconds to write, and keys are read meanwhile.
            written = await asyncio.to_thread(recall_pack.write_recall_folder, pack, folder, maker, progress)
        except LotkeeperError as exc:
            status.update(literal(f"No recall pack: {exc.message}"))
            self.report(exc)
            return
        emails = sum(1 for notice in written.notices if notice.eml is not None)
        message = (
            f"recall pack saved in {written.folder}: {written.rows} unit line(s) as CSV, spreadsheet and PDF;"
            f" {len(written.notices)} letter(s) and {emails} e-mail(s) drafted (nothing sent)"
        )
        status.update(literal(message))
        self.say(message)

    def _progressed(self, fraction: float, what: str) -> None:
        self.query_one("#pack-progress", ProgressBar).update(progress=round(fraction * 100))
        self.query_one("#status", Static).update(literal(f"Writing the recall pack: {what}"))

    def action_drill(self) -> None:
        self._stop_drill()
        self.drill_armed = True
        self.current = None
        code = self.query_one("#code", Input)
        code.value = ""
        code.focus()
        self.query_one("#status", Static).update(
            literal("Recall drill: scan the recalled lot now; the clock starts on the scan.")
        )

    def action_cancel(self) -> None:
        if self.drill_armed:
            self._stop_drill()
            self.query_one("#status", Static).update(literal("Recall drill cancelled."))
            return
        super().action_cancel()

    def _tick(self) -> None:
        if self.drill_started is not None:
            seconds = time.monotonic() - self.drill_started
            self.query_one("#status", Static).update(
                literal(f"Recall drill running: {seconds:.1f} s. Export the list: Ctrl+S or DONE.")
            )

    def _stop_drill(self) -> None:
        if self._drill_timer is not None:
            self._drill_timer.stop()
        self._drill_timer = None
        self.drill_armed = False
        self.drill_started = None
