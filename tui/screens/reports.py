"""Reports: pick one, give its dates (or days, or a batch), read it in a table, save it as CSV.

What each report asks for and how typed text is read live in `tui.services.report_menu`; this
screen gathers the text, runs the report in a worker, and shows the rows literally (names come
from the database). A table shows the first rows only: the CSV holds them all.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Select, Static

from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.services.report_menu import REPORTS, Asked, Produced, ReportName, produce
from tui.services.report_tables import write_csv
from tui.widgets.literal import literal
from tui.widgets.literal_table import LiteralTable

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult

MAX_ROWS = 500
"""Rows shown at once: a table of 100,000 lots blocks the screen and helps nobody (the CSV has them)."""

EXTRA_PLACEHOLDER = {"days": "days ahead (30)", "lot": "batch code (or scan it)"}


class ReportsScreen(LotScreen):
    CSS_PATH = "reports.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run_report", "Run", tooltip="Run the report again with what is typed"),
        Binding("ctrl+s", "export", "Export CSV", tooltip="Save the report's rows to the exports folder"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.produced: Produced | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="choices"):
            yield Select(
                [(kind.title, name) for name, kind in REPORTS.items()],
                value="cogs",
                allow_blank=False,
                id="report",
                compact=True,
            )
            yield Input(placeholder="from YYYY-MM-DD", id="start", compact=True)
            yield Input(placeholder="to YYYY-MM-DD", id="end", compact=True)
            yield Input(id="extra", compact=True)
        yield Static(id="hint")
        yield LiteralTable(id="rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="summary")
        yield Footer()

    def on_mount(self) -> None:
        self.fit_fields()

    def on_screen_resume(self) -> None:
        self.action_run_report()

    @property
    def chosen(self) -> ReportName:
        value = self.query_one("#report", Select).value
        return value if isinstance(value, str) and value in REPORTS else "cogs"

    def fit_fields(self) -> None:
        """Only the fields the chosen report reads can be typed in."""
        kind = REPORTS[self.chosen]
        self.query_one("#start", Input).disabled = kind.field != "period"
        end = self.query_one("#end", Input)
        end.disabled = kind.field not in ("period", "at")
        end.placeholder = "at YYYY-MM-DD (today)" if kind.field == "at" else "to YYYY-MM-DD"
        extra = self.query_one("#extra", Input)
        extra.disabled = kind.field not in EXTRA_PLACEHOLDER
        extra.placeholder = EXTRA_PLACEHOLDER.get(kind.field, "")
        self.query_one("#hint", Static).update(literal(kind.hint))

    @on(Select.Changed, "#report")
    def report_chosen(self) -> None:
        self.fit_fields()
        self.action_run_report()

    @on(Input.Submitted)
    def typed(self) -> None:
        self.action_run_report()

    def asked(self) -> Asked:
        return Asked(
            self.chosen,
            start=self.query_one("#start", Input).value,
            end=self.query_one("#end", Input).value,
            extra=self.query_one("#extra", Input).value,
        )

    def action_run_report(self) -> None:
        self.load(self.asked())

    @work(exclusive=True, group="report", exit_on_error=False)
    async def load(self, asked: Asked) -> None:
        config = self.ctx.config
        produced = await produce(
            asked, today=self.ctx.day(), currency=config.shop.currency_code(), order=self.ctx.date_order
        )
        self.produced = produced
        rows = produced.table.rows
        self.query_one("#rows", LiteralTable).show(
            produced.table.columns, ((str(i), row) for i, row in enumerate(rows[:MAX_ROWS]))
        )
        more = (
            f" (first {MAX_ROWS} of {len(rows)} rows shown: Ctrl+S saves them all)"
            if len(rows) > MAX_ROWS
            else ""
        )
        self.query_one("#summary", Static).update(literal(produced.summary + more))

    def action_export(self) -> None:
        if self.produced is None:
            self.say("run a report first")
            return
        name = f"report-{self.chosen}-{datetime.now():%Y%m%d-%H%M%S}.csv"
        self.export(self.produced, self.ctx.exports / name)

    @work(exclusive=True, group="report-export", exit_on_error=False, thread=True)
    def export(self, produced: Produced, path: object) -> None:
        written = write_csv(produced.table, str(path))
        self.app.call_from_thread(self.say, f"saved {len(produced.table.rows)} row(s) to {written}")

    async def handle_scan(self, result: ScanResult) -> bool:
        """A batch scanned while the batch record is chosen is the batch to show."""
        if result.kind != "batch" or self.chosen != "batch":
            return False
        self.query_one("#extra", Input).value = result.code
        self.action_run_report()
        return True
