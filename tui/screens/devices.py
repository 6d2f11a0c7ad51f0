"""Devices: is every scanner, scale and printer there, can the clock be trusted, what does a scanner send?

Each configured scale shows its protocol (configured, or as detected) and its live reading,
stable or moving, from the scale feed while the screen is shown; `t` and `z` tare and zero the
first scale where its protocol has the command (else the message says to press the key on it).

Scanner status comes from the scan feed as it changes; printers are asked in a
thread (a network printer can take seconds to answer) when the screen opens and every
`PRINTER_POLL_S`, together with the print queue's last error for each and the clock's state.
The lower half is a test bench: every scan made while this screen is shown (from the scan feed,
subscribed while shown) is listed with its bytes, AIM identifier and GS1 separators, plus what
the resolver made of it; the scan opens nothing (command barcodes still work).
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Header, Static

from tui.config import PrinterConfig, ScannerConfig
from tui.devices.printers import PrinterStatus, make_printer
from tui.devices.scales import ScaleReading
from tui.devices.scanners import Scan, ScannerStatus
from tui.errors import LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.widgets.literal import literal
from tui.widgets.literal_table import LiteralTable
from tui.widgets.raw_scan import ScanInspection, describe, inspect_scan, visible

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult
    from tui.widgets.scales import ScaleChange

KEEP_SCANS = 20
PRINTER_POLL_S = 15.0
SCANNER_COLUMNS = ("Scanner", "Kind", "Status", "Port / last error")
SCALE_COLUMNS = ("Scale", "Protocol", "Port", "Reading")
PRINTER_COLUMNS = ("Printer", "Kind", "Status", "Address, label: what it says")
SCAN_COLUMNS = ("Time", "From", "AIM", "GS1 sep.", "Text as received")


def _settings(cfg: ScannerConfig | None) -> str:
    if cfg is None:
        return "not in the config (built-in keyboard-wedge defaults)"
    terminator = visible(cfg.terminator) if cfg.kind == "serial" else "Enter"
    return f"prefix {visible(cfg.prefix)!r}, suffix {visible(cfg.suffix)!r}, terminator {terminator}"


class DevicesScreen(LotScreen):
    CSS_PATH = "devices.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="devices.refresh", tooltip="Ask the printers again"),
        Binding("c", "clear_scans", "Clear scans", id="devices.clear", tooltip="Empty the scan list"),
        Binding("t", "scale('tare')", "Tare", id="devices.tare", tooltip="Tare the first scale"),
        Binding("z", "scale('zero')", "Zero", id="devices.zero", show=False, tooltip="Zero the first scale"),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.scans: deque[tuple[int, ScanInspection]] = deque(maxlen=KEEP_SCANS)
        self._next_id = 0
        self.printer_status: dict[str, PrinterStatus] = {}
        self.scanner_errors: dict[str, str] = {}
        """The last failure each scanner reported while this screen was open."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield LiteralTable(id="scanners", cursor_type="none")
        yield LiteralTable(id="scales", cursor_type="none")
        yield LiteralTable(id="printers", cursor_type="none")
        yield Static(id="clock")
        yield Static("Scan anything to see exactly what the scanner sends:", classes="title")
        yield LiteralTable(id="scans", cursor_type="row")
        yield Static(id="scan-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.show_scanners()
        self.show_scales()
        self.show_printers()
        self.show_scans()
        self.poll_printers()
        self.set_interval(PRINTER_POLL_S, self.poll_printers)

    def on_screen_resume(self) -> None:
        self.ctx.scanners.scans.subscribe(self, self.scan_seen)
        self.ctx.scanners.statuses.subscribe(self, self.status_changed)
        self.ctx.scales.changes.subscribe(self, self.scale_changed)
        self.show_scanners()
        self.show_scales()

    def on_screen_suspend(self) -> None:
        self.ctx.scanners.scans.unsubscribe(self)
        self.ctx.scanners.statuses.unsubscribe(self)
        self.ctx.scales.changes.unsubscribe(self)

    def action_refresh(self) -> None:
        self.show_scanners()
        self.poll_printers()

    def action_clear_scans(self) -> None:
        self.scans.clear()
        self.show_scans()

    # Scanners

    def scanner_configs(self) -> list[ScannerConfig]:
        configs = list(self.ctx.config.scanners)
        known = {c.name for c in configs}
        # The App runs a keyboard wedge with default settings when none is configured.
        configs += [ScannerConfig(name=n) for n in self.ctx.scanners.status if n not in known]
        return configs

    def show_scanners(self) -> None:
        rows = []
        for cfg in self.scanner_configs():
            status = self.ctx.scanners.status.get(cfg.name)
            state = "starting" if status is None else ("connected" if status.connected else "disconnected")
            if status is not None and not status.connected and status.reason:
                self.scanner_errors[cfg.name] = status.reason
            port = cfg.port if cfg.kind != "wedge" else "keyboard"
            error = self.scanner_errors.get(cfg.name)
            rows.append((cfg.name, (cfg.name, cfg.kind, state, f"{port}: {error}" if error else port)))
        self.query_one("#scanners", LiteralTable).show(SCANNER_COLUMNS, rows, wrap=True)

    def status_changed(self, status: ScannerStatus) -> None:
        self.show_scanners()

    # Scales

    def show_scales(self) -> None:
        table = self.query_one("#scales", LiteralTable)
        ports = {cfg.name: cfg.port for cfg in self.ctx.config.scales}
        states = list(self.ctx.scales.scales.values())
        table.display = bool(states)
        rows = [
            (s.name, (s.name, s.protocol or "detecting", ports.get(s.name, ""), s.shown())) for s in states
        ]
        table.show(SCALE_COLUMNS, rows, wrap=True)

    def scale_changed(self, change: ScaleChange) -> None:
        """A reading changes only its cell (a scale may send ten a second); anything else, or a
        protocol just detected, shows the table again."""
        table = self.query_one("#scales", LiteralTable)
        state = self.ctx.scales.scales.get(change.source)
        if isinstance(change, ScaleReading) and state is not None and change.source in table.rows:
            row = table.get_row_index(change.source)
            if str(table.get_cell_at(Coordinate(row, 1))) == change.protocol:
                table.update_cell_at(Coordinate(row, 3), literal(state.shown()))
                return
        self.show_scales()

    def action_scale(self, action: str) -> None:
        first = self.ctx.scales.first
        if first is None:
            self.say("no scale is configured: add a [[scales]] entry to the config file")
            return
        try:
            self.ctx.scales.command(first.name, action)
        except LotkeeperError as exc:
            self.report(exc)
            return
        self.say(f"{action} sent to scale {first.name}")

    # Printers

    def printer_configs(self) -> tuple[PrinterConfig, ...]:
        return self.ctx.printers

    def show_printers(self) -> None:
        rows = []
        for cfg in self.printer_configs():
            status = self.printer_status.get(cfg.name)
            if status is None:
                state, says = "asking...", ""
            else:
                state = {True: "ready", False: "needs attention", None: "no status"}[status.ready]
                says = status.message
            where = f"{cfg.uri or 'default folder'}, {cfg.label}"
            rows.append((cfg.name, (cfg.name, cfg.kind, state, f"{where}: {says}" if says else where)))
        self.query_one("#printers", LiteralTable).show(PRINTER_COLUMNS, rows, wrap=True)

    def _ask(self, cfg: PrinterConfig) -> PrinterStatus:
        """Blocking (a network printer may take its timeout to answer): run in a thread."""
        try:
            printer = self.ctx.printing.printers.get(cfg.name) or make_printer(cfg)
            return printer.status()
        except LotkeeperError as exc:
            return PrinterStatus(False, exc.message)

    @work(exclusive=True, group="devices-printers", exit_on_error=False)
    async def poll_printers(self) -> None:
        queue = self.ctx.printing
        clock = await queue.clock.check() if queue.clock else None
        self.query_one("#clock", Static).update(literal(f"Clock: {clock.message}" if clock else ""))
        jobs = await queue.jobs(limit=100)
        for cfg in self.printer_configs():
            status = await asyncio.to_thread(self._ask, cfg)
            failed = next((j for j in jobs if j.printer == cfg.name and j.last_error), None)
            if failed is not None:
                last = f"job {failed.id} ({failed.status.value}): {failed.last_error}"
                status = PrinterStatus(status.ready, f"{status.message}; last error: {last}")
            self.printer_status[cfg.name] = status
            self.show_printers()

    # Scans

    def scan_seen(self, seen: tuple[Scan, ScanResult]) -> None:
        """Every scan while shown, as it came in, with what the App's resolver made of it."""
        scan, result = seen
        self._next_id += 1
        inspection = inspect_scan(scan.text, scan.source, self._separator)
        meaning = f"{result.kind}: {result.message}"
        self.scans.appendleft((self._next_id, replace(inspection, resolved=meaning)))
        self.show_scans()

    @property
    def _separator(self) -> str:
        return self.ctx.config.codes.gs1_separator

    async def handle_scan(self, result: ScanResult) -> bool:
        return True  # a test bench: scanning here shows the scan and opens nothing

    def show_scans(self) -> None:
        table = self.query_one("#scans", LiteralTable)
        rows = [
            (str(sid), (s.at.strftime("%H:%M:%S"), s.source, s.aim or "", s.separators, s.shown))
            for sid, s in self.scans
        ]
        table.show(SCAN_COLUMNS, rows, widest=80, wrap=True)
        if self.scans:
            table.move_cursor(row=0)
        self.show_detail()

    @on(DataTable.RowHighlighted, "#scans")
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        detail = self.query_one("#scan-detail", Static)
        key = self.query_one("#scans", LiteralTable).cursor_key()
        chosen = next((s for sid, s in self.scans if str(sid) == key), None)
        if chosen is None:
            detail.update("No scans yet.")
            return
        same = [s.text for _, s in self.scans if s.source == chosen.source]
        cfg = next((c for c in self.scanner_configs() if c.name == chosen.source), None)
        detail.update(describe(chosen, same, _settings(cfg)))
