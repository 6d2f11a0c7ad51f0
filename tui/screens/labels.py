"""Labels & printers: the print queue as it happens, and what a person can do about a job.

The App's print-queue worker sends jobs in the background; this screen re-reads the queue every
`REFRESH_S` while shown. A person retries a job once the printer is fixed, cancels one, reprints
one, looks at the stored image (drawn in the terminal), or scans an old label to get another.
Dated labels wait (held) while the clock is not synchronised, until someone types today's date.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Static

from tui.errors import InvalidInput, LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.services.catalog import parse_day
from tui.services.label_data import command_sheet_data
from tui.services.printing import Job, PrintService
from tui.store.models import JobStatus
from tui.widgets.label_preview import LabelPreview
from tui.widgets.literal import clean, literal
from tui.widgets.literal_table import LiteralTable
from tui.widgets.record_form import FormField, RecordForm, Values

if TYPE_CHECKING:
    from tui.services.resolver import ScanResult

REFRESH_S = 1.0
COLUMNS = ("Job", "Lot", "Printer", "Status", "Tries", "Last error / note")


def _time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%H:%M:%S") if moment else ""


def note(job: Job, now: datetime) -> str:
    """What a person needs to know about a job besides its status."""
    parts = []
    if job.status is JobStatus.SENT:
        parts.append(f"sent {_time(job.sent_at)}")
    if job.status is JobStatus.QUEUED and job.next_attempt_at and job.next_attempt_at > now:
        parts.append(f"next try {_time(job.next_attempt_at)}")
    if job.status is JobStatus.HELD:
        parts.append("waits for the date to be confirmed (d)")
    if job.last_error and job.status is not JobStatus.SENT:
        parts.append(job.last_error)
    if job.reprint_of:
        parts.append(f"reprint of {job.reprint_of}")
    if job.copies > 1:
        parts.append(f"{job.copies} copies")
    return "; ".join(parts)


class LabelView(ModalScreen[None]):
    """One job: its stored label image, drawn in the terminal, and everything the queue knows."""

    DEFAULT_CSS = """
    LabelView { align: center middle; }
    LabelView #view { width: 100%; max-width: 80; height: 100%; max-height: 24;
        border: round $accent; background: $surface; }
    LabelView #about { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,v", "close", "Close")]

    def __init__(self, queue: PrintService, job: Job) -> None:
        super().__init__()
        self.queue = queue
        self.job = job

    def compose(self) -> ComposeResult:
        with Vertical(id="view"):
            yield Static(id="about")
            yield LabelPreview(empty="loading the label ...", id="preview")

    def on_mount(self) -> None:
        job = self.job
        about = (
            f"job {job.id}: {job.template} label for {job.lot or '-'} on {job.printer}, {job.status.value}"
        )
        if job.last_error:
            about += f"\n{job.last_error}"
        self.query_one("#about", Static).update(literal(about))
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        preview = self.query_one(LabelPreview)
        try:
            preview.image = (await self.queue.label(self.job.id)).image
        except LotkeeperError as exc:
            preview.empty = clean(exc.message)
            preview.refresh()

    def action_close(self) -> None:
        self.dismiss(None)


class LabelsScreen(LotScreen):
    CSS_PATH = "labels.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "retry", "Retry", id="labels.retry", tooltip="Send the highlighted job again now"),
        Binding("x", "cancel_job", "Cancel", id="labels.cancel", tooltip="Do not print this job"),
        Binding("p", "reprint", "Reprint", id="labels.reprint", tooltip="Print the highlighted label again"),
        Binding("n", "new_label", "New label", id="labels.new", tooltip="Queue a label for a lot code"),
        Binding("d", "confirm_date", "Confirm date", id="labels.date", tooltip="Release held labels"),
        Binding(
            "v",
            "view",
            "View label",
            show=False,
            id="labels.view",
            tooltip="Show the highlighted label (Enter too)",
        ),
        Binding(
            "s",
            "command_sheet",
            "Print command sheet",
            show=False,
            id="labels.sheet",
            tooltip="The DONE, CANCEL, UNDO and quantity barcodes, and the catalog's pick numbers",
        ),
    ]

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.jobs: dict[str, Job] = {}

    @property
    def queue(self) -> PrintService:
        return self.ctx.printing

    @property
    def command_prefix(self) -> str:
        """Scans starting with it are command barcodes: forms let them through to the App."""
        return self.ctx.config.codes.command_prefix

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="clock")
        yield Static("Scan a lot's label for another; Enter shows a label; s: command sheet.", id="hint")
        yield LiteralTable(id="jobs", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_S, self.load)

    def on_screen_resume(self) -> None:
        self.load()

    @work(exclusive=True, group="labels-load", exit_on_error=False)
    async def load(self) -> None:
        jobs = await self.queue.jobs(limit=200)
        held = sum(job.status is JobStatus.HELD for job in jobs)
        clock = await self.queue.clock.check() if self.queue.clock else None
        banner = self.query_one("#clock", Static)
        worry = clock is not None and (held > 0 or not clock.trusted)
        if clock is not None and worry:
            waiting = f"{held} dated label(s) held. " if held else ""
            banner.update(literal(f"{clock.message}. {waiting}Press d to confirm today's date."))
        banner.set_class(not worry, "-hidden")
        if [*self.jobs.values()] == jobs:
            return
        self.jobs = {str(job.id): job for job in jobs}
        now = self.queue.now()
        rows = [
            (
                str(job.id),
                (job.id, job.lot or "-", job.printer, job.status.value, job.attempts, note(job, now)),
            )
            for job in jobs
        ]
        self.query_one("#jobs", LiteralTable).show(COLUMNS, rows, wrap=True)

    def chosen(self) -> Job | None:
        key = self.query_one("#jobs", LiteralTable).cursor_key()
        job = self.jobs.get(key or "")
        if job is None:
            self.say("no print jobs yet: scan a lot's label, or press n")
        return job

    async def _act(self, verb: str, job_id: int) -> None:
        actions = {"retry": self.queue.retry, "cancel": self.queue.cancel, "reprint": self.queue.reprint}
        done = await self.attempt(actions[verb](job_id))
        if done is not None:
            self.say(f"job {job_id}: {verb} done, job {done.id} is {done.status.value}")
            self.jobs = {}
            self.load()

    async def action_retry(self) -> None:
        if job := self.chosen():
            await self._act("retry", job.id)

    async def action_cancel_job(self) -> None:
        if job := self.chosen():
            await self._act("cancel", job.id)

    async def action_reprint(self) -> None:
        if job := self.chosen():
            await self._act("reprint", job.id)

    def action_view(self) -> None:
        if job := self.chosen():
            self.app.push_screen(LabelView(self.queue, job))

    @on(DataTable.RowSelected, "#jobs")
    def _view_selected(self) -> None:
        self.action_view()

    async def handle_scan(self, result: ScanResult) -> bool:
        """An old label scanned here prints another one of it."""
        if result.kind not in ("material_lot", "batch"):
            return False
        done = await self.attempt(self.queue.reprint_lot(result.code))
        if done is not None:
            self.say(done.message)
            self.jobs = {}
            self.load()
        return True

    def action_new_label(self) -> None:
        fields = (
            FormField("lot", "Lot code", "", "scan or type the lot code", ("lot",)),
            FormField("copies", "Copies", "1", "", ("copies",)),
        )

        async def save(v: Values) -> str:
            try:
                copies = int(v["copies"])
            except ValueError:
                raise InvalidInput(f"copies {v['copies']!r} is not a whole number, e.g. 1 or 12") from None
            job = await self.queue.enqueue_lot_label(v["lot"], copies=copies)
            return f"label for {job.lot} queued as job {job.id} ({job.status.value})"

        self.app.push_screen(
            RecordForm("New label", fields, save, command_prefix=self.command_prefix), self._saved
        )

    async def action_command_sheet(self) -> None:
        """The command barcodes and the catalog's pick numbers, to keep at the bench."""
        data = await self.attempt(command_sheet_data(self.ctx.config.codes))
        job = await self.attempt(self.queue.enqueue("commands", data)) if data else None
        if job is not None:
            self.say(f"command sheet queued as job {job.id} ({job.status.value})")
            self.jobs = {}
            self.load()

    def action_confirm_date(self) -> None:
        clock = self.queue.clock
        if clock is None:
            self.say("the clock check is not in use: nothing waits for the date")
            return
        today = clock.today().isoformat()
        fields = (
            FormField("date", "Today is", "", f"type {today} if that is today's date", ("date", "clock")),
        )

        async def save(v: Values) -> str:
            day = parse_day(v["date"], "today's date", self.ctx.date_order)
            assert day is not None  # a str is parsed or refused
            released = await self.queue.confirm_date(day)
            return f"{day} confirmed: {len(released)} held label(s) released to print"

        self.app.push_screen(
            RecordForm("Confirm today's date", fields, save, command_prefix=self.command_prefix), self._saved
        )

    def _saved(self, message: str | None) -> None:
        if message:
            self.say(message)
            self.jobs = {}
            self.load()
