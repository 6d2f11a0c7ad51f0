"""The printing service: what the App, the screens and the CLI hold to print labels.

A label is rendered and written (its PNG, the template and its version, the data it was drawn
from) before anything is sent, so what went onto a label stays on record even if the product is
renamed later. Dated labels (lot, batch) are written HELD while the clock cannot be trusted and
released once it can, or once a person confirms the date. A reprint is a new job with the very
same image, linked to the old one.

This class takes what people ask of the queue and answers what they read from it; the other
parts have one job each: `Printers` (which printer a label goes to), `ClockGuard` (may dated
labels print now?), `QueueRunner` (the background worker: recovery after a crash, claiming due
jobs, waking on new ones), `Sender` (one job to its printer, and how it ended). Job rows live in
`tui.store.label_jobs`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from tui import labels
from tui.config import MAX_COPIES, CodesConfig, Config, LabelsConfig, PrinterConfig
from tui.devices.backoff import Backoff
from tui.devices.clock import SyncSource, system_clock_synced
from tui.devices.printers import Printer, make_printer
from tui.errors import InvalidInput
from tui.services import label_data
from tui.services.catalog import find_lot
from tui.services.printing.clock import ClockGuard
from tui.services.printing.printers import Printers
from tui.services.printing.runner import QueueRunner
from tui.services.printing.sender import RETRY, Sender, stored_label, utc_now
from tui.store import label_jobs
from tui.store.db import writing
from tui.store.label_jobs import Job
from tui.store.models import JobStatus, Lot

if TYPE_CHECKING:
    from tui.labels import LabelData, RenderedLabel

WAITING = (JobStatus.QUEUED, JobStatus.HELD, JobStatus.SENDING)
"""A job in one of these will still print: asking for the same label again adds nothing."""
RETRYABLE = (JobStatus.QUEUED, JobStatus.FAILED)
CANCELLABLE = (JobStatus.QUEUED, JobStatus.HELD, JobStatus.FAILED)


@dataclass(frozen=True)
class LotLabel:
    """What scanning an old label for another one did."""

    job: Job
    """The job that will print the label (new), or the one already waiting for it."""
    action: Literal["reprinted", "queued", "waiting"]
    message: str


def render_recorded(
    template_name: str, data: LabelData, size: labels.LabelSize
) -> tuple[RenderedLabel, dict[str, Any] | None]:
    """The label, and for a profile label what it printed (profile, fields, symbols, barcodes),
    kept with the job as the record an inspector asks for. A profile label missing a mandatory
    field is refused here (InvalidInput), before anything is written."""
    if not isinstance(data, labels.ProfileLabelData):
        return labels.render(template_name, data, size), None
    composed = labels.compose(template_name, data, size)
    version = labels.template(template_name).version
    d = composed.description
    printed = {
        "profile": d.profile,
        "template_version": version,
        "fields": d.fields,
        "symbols": list(d.symbols),
        "barcodes": [{"kind": b.kind, "data": b.data} for b in d.barcodes],
    }
    return labels.RenderedLabel(composed.image, size, template_name, version), printed


def _not_retryable(job: Job) -> str:
    return f"job {job.id} is {job.status.value}: only queued or failed jobs can be retried"


def _copies(copies: int) -> int:
    if not 1 <= copies <= MAX_COPIES:
        raise InvalidInput(f"copies must be 1 to {MAX_COPIES}, not {copies}")
    return copies


class PrintService:
    def __init__(
        self,
        printers: Iterable[Printer],
        *,
        clock: ClockGuard | None = None,
        backoff: Backoff = RETRY,
        now: Callable[[], datetime] = utc_now,
        default_printer: str | None = None,
        codes: CodesConfig | None = None,
        source: label_data.LabelSource | None = None,
        station: str = "bench",
    ) -> None:
        self.printers = Printers(printers, default_printer)
        self.station = station
        """This station's name: its jobs are recorded with it, and only they are sent or recovered here."""
        self.clock = clock
        """The clock rule (None: dated labels never wait)."""
        self.now = now
        self.source = source or label_data.LabelSource(codes or CodesConfig())
        """Codes, maker and stock a lot's label is drawn with (`label_data.LabelSource`)."""
        self.codes = self.source.codes
        self.runner = QueueRunner(
            self.printers,
            Sender(self.printers, backoff=backoff, now=now),
            before_pass=self.release_if_trusted,
            now=now,
            station=station,
        )

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        sync: SyncSource = system_clock_synced,
        today: Callable[[], date] = date.today,
        printers: Iterable[PrinterConfig] | None = None,
    ) -> PrintService:
        """The configured printers (or `printers`; checked now: a typo is a ConfigError at start)
        and the clock rule."""
        clock = ClockGuard(
            sync,
            require_sync=config.labels.require_clock_sync,
            unknown_is_unsynced=config.labels.clock_unknown_is_unsynced,
            today=today,
            station=config.store.station,
        )
        return cls(
            [make_printer(p) for p in (config.printers if printers is None else printers)],
            clock=clock,
            default_printer=config.labels.printer or None,
            source=label_data.LabelSource.of(config),
            station=config.store.station,
        )

    # What people ask of the queue (nothing is sent here: the runner is woken)

    async def _trusted(self) -> bool:
        return self.clock is None or (await self.clock.check()).trusted

    async def enqueue(
        self,
        template_name: str,
        data: LabelData,
        *,
        printer: str | None = None,
        copies: int = 1,
        lot: Lot | None = None,
    ) -> Job:
        """Render, then write the job (HELD if dated and the clock is not trusted)."""
        _copies(copies)
        target = self.printers.choose(printer)
        label, printed = render_recorded(template_name, data, target.label)
        held = labels.template(template_name).dated and not await self._trusted()
        payload: dict[str, Any] = {"size": label.size.id, "dpi": label.size.dpi, "data": labels.to_json(data)}
        if printed is not None:
            payload["printed"] = printed
        job = await label_jobs.create(
            lot_id=lot.id if lot is not None else None,
            printer=target.name,
            template=template_name,
            template_version=label.version,
            payload=payload,
            copies=copies,
            status=JobStatus.HELD if held else JobStatus.QUEUED,
            image_png=label.png(),
            station=self.station,
        )
        self.runner.wake()
        return job

    async def enqueue_lot_label(self, code: str, *, copies: int = 1, printer: str | None = None) -> Job:
        """Queue the label of a material lot or batch, drawn from what the database says now."""
        name, data, lot = await label_data.lot_label_data(code, self.source)
        return await self.enqueue(name, data, printer=printer, copies=copies, lot=lot)

    async def enqueue_new_lot(self, code: str, labels: LabelsConfig) -> Job:
        """The labels of a lot just received or made (how many: `label_data.new_lot_copies`)."""
        return await self.enqueue_lot_label(code, copies=await label_data.new_lot_copies(code, labels))

    async def reprint(self, job_id: int, copies: int | None = None) -> Job:
        """A new job with the very same image, linked to the original."""
        old = await label_jobs.row(job_id)
        if old.printer not in self.printers:
            raise InvalidInput(f"job {job_id} was for printer {old.printer!r}, which is not configured here")
        job = await label_jobs.create(
            lot_id=old.lot_id,  # type: ignore[attr-defined]
            printer=old.printer,
            template=old.template,
            template_version=old.template_version,
            payload=old.payload,
            copies=_copies(copies or old.copies),
            image_png=old.image_png,
            reprint_of=old,
            station=self.station,
        )
        self.runner.wake()
        return job

    async def reprint_lot(self, code: str) -> LotLabel:
        """Another label for a lot, from scanning one of its old labels.

        The lot's last job is reprinted (the very same image) so the new label matches the old
        exactly; a lot that never had a label, or whose label was for a printer this station
        does not have, gets a newly rendered one. A job still waiting to print is not doubled.
        """
        lot = await find_lot(code)
        last = await label_jobs.last_for_lot(lot)
        if last is not None and last.status in WAITING:
            return LotLabel(
                Job.of(last),
                "waiting",
                f"job {last.id} for {lot.code} is {last.status.value} already: nothing added",
            )
        if last is not None and last.printer in self.printers:
            job = await self.reprint(last.id)
            return LotLabel(
                job, "reprinted", f"reprint of job {last.id} for {lot.code} queued as job {job.id}"
            )
        job = await self.enqueue_lot_label(lot.code)
        why = "no label was printed for it yet" if last is None else f"its last label was for {last.printer}"
        return LotLabel(job, "queued", f"new label for {lot.code} queued as job {job.id} ({why})")

    async def _current(self, job_id: int) -> Job:
        """The job as it is, once a SENDING one whose sender is gone has been marked FAILED."""
        job = await label_jobs.get(job_id)
        if job.status == JobStatus.SENDING and await self.recover():
            job = await label_jobs.get(job_id)
        return job

    async def retry(self, job_id: int) -> Job:
        """Send a waiting or failed job now (a FAILED one only after a person checked the printer)."""
        job = await self._current(job_id)
        if job.status not in RETRYABLE:
            raise InvalidInput(_not_retryable(job))
        if job.printer not in self.printers:
            what = f" of {job.lot}" if job.lot else ""
            raise InvalidInput(
                f"job {job_id} was for printer {job.printer!r}, which is not configured here: it would "
                f"wait forever. Cancel it, then print a new label{what} (scan the lot's label, or New label)"
            )
        if not await label_jobs.requeue([job_id], RETRYABLE):  # another process took it meanwhile
            raise InvalidInput(_not_retryable(await label_jobs.get(job_id)))
        self.runner.wake()
        return await label_jobs.get(job_id)

    async def cancel(self, job_id: int) -> Job:
        job = await self._current(job_id)
        if job.status not in CANCELLABLE or not await label_jobs.cancelled(job_id, CANCELLABLE):
            job = await label_jobs.get(job_id)
            raise InvalidInput(f"job {job_id} is {job.status.value}: it can no longer be cancelled")
        return await label_jobs.get(job_id)

    async def confirm_date(self, day: date) -> list[Job]:
        """The operator vouches for today's date: held labels are released to print."""
        if self.clock is None:
            raise InvalidInput("the clock check is not in use: nothing is held")
        async with writing():
            await self.clock.confirm(day)
            held = await label_jobs.ids_with(JobStatus.HELD)
            await label_jobs.requeue(held, (JobStatus.HELD,))
        self.runner.wake()
        return [await label_jobs.get(i) for i in held]

    async def release_if_trusted(self) -> None:
        """Held labels go to print as soon as the clock can be trusted (it synchronised)."""
        if self.clock is None:
            return
        held = await label_jobs.ids_with(JobStatus.HELD)
        if held and (await self.clock.check()).trusted:  # those cancelled meanwhile stay cancelled
            await label_jobs.requeue(held, (JobStatus.HELD,))

    # Reading the queue

    async def job(self, job_id: int) -> Job:
        return await label_jobs.get(job_id)

    async def jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[Job]:
        """Newest first."""
        return await label_jobs.listing(status, limit)

    async def label(self, job_id: int) -> RenderedLabel:
        """The stored image of a job, exactly as it was (or will be) printed."""
        return stored_label(await label_jobs.row(job_id))

    async def data(self, job_id: int) -> LabelData:
        """The data the job's label was drawn from."""
        row = await label_jobs.row(job_id)
        return labels.from_json(row.template, row.payload.get("data", {}))

    # Sending

    async def recover(self) -> list[int]:
        """Jobs of this station whose sender is gone (killed mid-send) become FAILED."""
        return await self.runner.recover()

    async def process_once(self) -> list[Job]:
        return await self.runner.process_once()

    async def run(self, stop: asyncio.Event, *, poll_s: float = 1.0) -> None:
        """The background worker: recover, then send due jobs until `stop` is set."""
        await self.runner.run(stop, poll_s=poll_s)

    @property
    def sending(self) -> list[int]:
        """Jobs being sent by this process right now."""
        return self.runner.sending

    async def wind_down(self, wait_s: float) -> list[int]:
        """On quitting: wait (at most `wait_s`) for the labels being sent; those still going are
        marked FAILED at once (see `recovery`), and returned."""
        if await self.runner.finish_sending(wait_s):
            return []
        return await self.runner.interrupt()
