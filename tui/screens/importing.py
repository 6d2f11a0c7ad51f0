"""Import a file from the TUI: a path, a preview of what would change, then confirm.

The preview is the importer's own dry run (`import_orders` / `import_starting` with `dry_run`),
so it says exactly what confirming does: the counts, the SKUs no product has yet, and the bad
rows that will be left out. Confirming imports the text that was previewed (not the file read
again), leaving out the bad rows the preview listed; a file with none is imported all or
nothing. Reading, the dry run and the import run in a worker; the progress bar follows the
import's `progress` calls. Everything from the file is shown literally, and every error is
shown in the report box as well as said, so it stays on screen until the next try.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, ProgressBar, Select, Static

from tui.errors import InvalidInput, LotkeeperError
from tui.imports import ImportOptions, StartingKind, read_text_file
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.services.import_report import orders_text, starting_text
from tui.services.order_import import import_orders
from tui.services.starting_import import import_starting
from tui.widgets.literal import literal

ORDERS = "orders"
KINDS: tuple[tuple[str, str], ...] = (
    ("Orders: Shopify, Etsy or Square export", ORDERS),
    ("Materials (starting out)", StartingKind.MATERIALS.value),
    ("Products (starting out)", StartingKind.PRODUCTS.value),
    ("Customers (starting out)", StartingKind.CUSTOMERS.value),
    ("Stock on the shelves (starting out)", StartingKind.STOCK.value),
)
MORE = " (the CLI's --json lists them all)"


@dataclass(frozen=True)
class Preview:
    """What was previewed: confirming imports this text, as the dry run reported it."""

    kind: str
    path: str
    text: str
    bad_rows: int


class ImportScreen(LotScreen):
    CSS_PATH = "importing.tcss"
    SUB_TITLE = "Import a file"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "done", "Import", id="import.done", tooltip="Import what the preview showed"),
        Binding("escape", "cancel", "Back", id="import.back", tooltip="Close without importing"),
    ]

    def __init__(self, ctx: ScreenContext, kind: str = ORDERS) -> None:
        super().__init__(ctx)
        self.kind = kind
        self.preview: Preview | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            with Horizontal(classes="row"):
                yield Label("Kind", classes="caption")
                yield Select(KINDS, value=self.kind, allow_blank=False, compact=True, id="kind")
            with Horizontal(classes="row"):
                yield Label("File", classes="caption")
                yield Input(id="path", compact=True, placeholder="path of the CSV file, then Enter")
            with Horizontal(classes="row"):
                yield Label("", classes="caption")
                yield Button("Preview", id="preview", compact=True)
                yield Button("Import", id="confirm", variant="primary", compact=True, disabled=True)
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("Type the file's path and Enter: nothing is written before you confirm.", id="status")
        with VerticalScroll(id="report-box"):
            yield Static("", id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#kind")
    @on(Input.Changed, "#path")
    def _changed(self) -> None:
        """Another file or kind: the preview no longer says what confirming would do."""
        if not self.running:
            self.preview = None
            self.query_one("#confirm", Button).disabled = True

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#preview")
    def _preview_asked(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.action_done()

    def action_preview(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.report(InvalidInput("type the path of the file to import"))
        elif not self.running:
            self._run(str(self.query_one("#kind", Select).value), path, None)

    def action_done(self) -> None:
        if self.running:
            self.say("the import is under way")
        elif self.preview is None:
            self.report(InvalidInput("preview the file first (type its path and Enter)"))
        else:
            self._run(self.preview.kind, self.preview.path, self.preview)

    def action_cancel(self) -> None:
        if self.running:
            self.say("the import is under way: it finishes or is refused as a whole")
        else:
            self.dismiss(None)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)

    @work(exclusive=True, group="import", name="importing a file", exit_on_error=False)
    async def _run(self, kind: str, path: str, confirmed: Preview | None) -> None:
        """Preview (`confirmed` None: read the file, dry run) or import what was previewed."""
        self.running = True
        status, report = self.query_one("#status", Static), self.query_one("#report", Static)
        self.query_one("#confirm", Button).disabled = True
        self.query_one("#progress", ProgressBar).display = confirmed is not None
        report.remove_class("-error")
        try:
            if confirmed is None:
                status.update(literal(f"reading {path} ..."))
                text = await asyncio.to_thread(read_text_file, path)
            else:
                status.update(literal(f"importing {path} ..."))
                text = confirmed.text
            skip_bad = confirmed is not None and confirmed.bad_rows > 0
            options = ImportOptions(skip_bad=confirmed is None or skip_bad, dry_run=confirmed is None)
            lines, bad = await self._import(kind, text, options)
        except LotkeeperError as exc:
            self.report(exc)
            self._failed(path, exc.message)
            return
        except Exception as exc:  # a bug: kept on screen, and the worker's failure is said too
            self._failed(path, f"unexpected error: {type(exc).__name__}: {exc}")
            raise
        finally:
            self.running = False
        report.update(literal(lines))
        if confirmed is None:
            self.preview = Preview(kind, path, text, bad)
            button = self.query_one("#confirm", Button)
            button.label = f"Import, leaving out {bad} bad row(s)" if bad else "Import"
            button.disabled = False
            status.update(literal(f"preview of {path}: Ctrl+S (or DONE) imports it, Escape goes back"))
        else:
            self.preview = None
            status.update(literal(f"imported {path}"))
            self.say(f"imported {path}")

    def _failed(self, path: str, message: str) -> None:
        """Nothing was written: the reason stays in the report box until the next try."""
        self.query_one("#status", Static).update(literal(f"not imported: {path}"))
        report = self.query_one("#report", Static)
        report.update(literal(f"error: {message}"))
        report.add_class("-error")

    async def _import(self, kind: str, text: str, options: ImportOptions) -> tuple[str, int]:
        """The report's text and its number of bad rows."""
        station = self.ctx.station
        if kind == ORDERS:
            orders = await import_orders(text, options=options, station=station, progress=self._progress)
            return orders_text(orders, MORE), len(orders.problems)
        codes = self.ctx.config.codes
        starting = await import_starting(
            kind, text, options=options, codes=codes, station=station, progress=self._progress
        )
        return starting_text(starting, MORE), len(starting.problems)
