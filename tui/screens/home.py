"""Home: scan anything to land on it, see what needs attention, and pick a flow by number.

A gloved maker with a numeric keypad presses 1-8 for the flows; a scanner lands on whatever
was scanned (the App routes every scan). Alerts are the things a person has to act on: lots
about to expire, materials below their reorder level, labels that did not print, a scanner
or scale that went away, a last good backup older than `[backup] warn_after_days`. They are
reloaded whenever Home comes back into view. Above them, imported orders still to pack ("N orders
to pack", P opens Pack), counted by the overview service.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.base import LotScreen
from tui.services import inventory, overview
from tui.services.backup import backup_status
from tui.store.models import JobStatus
from tui.widgets.cells import cell
from tui.widgets.literal import literal

MENU: tuple[tuple[str, str], ...] = (
    ("receive", "Receive material"),
    ("make", "Make a batch"),
    ("sell", "Sell / ship an order"),
    ("trace", "Trace / recall"),
    ("stock", "Stock on hand"),
    ("catalog", "Catalog"),
    ("labels", "Labels & print queue"),
    ("devices", "Devices"),
)
"""Menu number n (1-8) opens MENU[n - 1]."""

REFRESH_S = 15.0
"""Home reloads this often while shown: a printer or scanner that goes away shows up unasked."""

ALERT_ROWS = 6
"""At most this many alert lines (80x24): the count of the rest is shown."""


class HomeScreen(LotScreen):
    CSS_PATH = "home.tcss"
    _timer: Timer | None = None

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"app.switch_mode('{mode}')", title, show=False)
            for n, (mode, title) in enumerate(MENU, start=1)
        ),
        Binding("p", "app.switch_mode('pack')", "Pack", id="home.pack", tooltip="Pack imported orders"),
        Binding("r", "refresh", "Refresh", id="home.refresh", tooltip="Reload alerts and recent activity"),
        Binding("escape", "cancel", "Back", show=False),  # Home is where Back leads
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(literal(self.ctx.welcome or "Scan any label to open it, or press 1-8."), id="hint")
        with Horizontal(id="top"):
            yield OptionList(
                *(Option(f"{n}  {title}", id=mode) for n, (mode, title) in enumerate(MENU, start=1)),
                id="menu",
            )
            with Vertical(id="alerts-box"):
                yield Static("Alerts", classes="title")
                yield Static(id="to-pack")
                yield Static(id="alerts")
        yield Static("Recent activity", classes="title")
        yield DataTable(id="recent", cursor_type="none", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#recent", DataTable)
        table.add_columns("When", "What", "Lot", "Item", "Qty", "Ref / reason")

    def on_screen_resume(self) -> None:
        self.action_refresh()
        self._timer = self.set_interval(REFRESH_S, self.action_refresh)
        self.ctx.scanners.statuses.subscribe(self, lambda _status: self.load())
        self.ctx.scales.statuses.subscribe(self, lambda _status: self.load())

    def on_screen_suspend(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.ctx.scanners.statuses.unsubscribe(self)
        self.ctx.scales.statuses.unsubscribe(self)

    def action_refresh(self) -> None:
        self.load()
        self.load_to_pack()

    @work(exclusive=True, group="home-to-pack", exit_on_error=False)
    async def load_to_pack(self) -> None:
        count = await overview.orders_to_pack()
        label = self.query_one("#to-pack", Static)
        label.update(literal(f"{count} order{'s' if count != 1 else ''} to pack: press P (Pack)"))
        label.display = count > 0

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "to-pack":
            self.app.switch_mode("pack")

    @on(OptionList.OptionSelected, "#menu")
    def open_flow(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.switch_mode(event.option.id)

    @work(exclusive=True, group="home-load", exit_on_error=False)
    async def load(self) -> None:
        day = self.ctx.day()
        expiring = await inventory.expiring(self.ctx.expiring_days, today=day)
        low = await inventory.low_stock(today=day)
        jobs = self.ctx.printing
        failed = await jobs.jobs(JobStatus.FAILED, limit=20)
        troubled = [job for job in await jobs.jobs(JobStatus.QUEUED) if job.last_error]
        held = await jobs.jobs(JobStatus.HELD)
        recent = await overview.recent_activity(limit=30)
        backup = await backup_status(self.ctx.config.backup)
        complaints = await overview.open_complaints()
        lines: list[Content] = [_alert("backup", backup.message)] if backup.warn else []
        for status in self.ctx.scanners.status.values():
            if not status.connected:
                lines.append(_alert("scanner", f"{status.source}: {status.reason}"))
        for scale in self.ctx.scales.scales.values():
            if scale.status is not None and not scale.status.connected:
                lines.append(_alert("scale", f"{scale.name}: {scale.status.reason}"))
        for job in failed:
            lines.append(_alert("label", f"job {job.id} {job.lot or ''} failed: {job.last_error}"))
        for printer in sorted({job.printer for job in troubled}):
            waiting = [job for job in troubled if job.printer == printer]
            lines.append(_alert("printer", f"{printer}: {waiting[0].last_error} ({len(waiting)} waiting)"))
        if held:
            lines.append(_alert("clock", f"{len(held)} dated label(s) held: confirm today's date (Devices)"))
        lines += [_alert("complaint", c.alert(day)) for c in complaints]
        for row in expiring:
            when = "expired" if row.expires and row.expires < day else "expiring"
            lines.append(_alert(when, f"{row.expires} {row.lot} {row.item}, {row.on_hand:f} {row.unit}"))
        for item in low:
            lines.append(
                _alert("reorder", f"{item.material}: {item.on_hand:f} of {item.reorder:f} {item.unit}")
            )
        if len(lines) > ALERT_ROWS:
            rest = len(lines) - ALERT_ROWS + 1
            lines = [*lines[: ALERT_ROWS - 1], literal(f"... and {rest} more (see Stock, Labels, Devices)")]
        self.query_one("#alerts", Static).update(
            Content("\n").join(lines) if lines else Content.styled("Nothing needs attention.", "$success")
        )
        table = self.query_one("#recent", DataTable)
        table.clear()
        for act in recent:
            table.add_row(
                cell(act.when[5:]),
                cell(act.kind),
                cell(act.lot, "bold"),
                cell(act.item),
                cell(f"{act.delta:+f} {act.unit}"),
                cell(act.reason or act.ref),
            )


def _alert(kind: str, text: str) -> Content:
    return Content.assemble((f"{kind:>8} ", "bold $warning"), literal(text))
