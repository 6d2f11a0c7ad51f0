"""The printing service: what the App, the screens and the CLI hold to print labels.

It puts the parts together, each with one job: `Printers` (which printer a label goes to),
`ClockGuard` (may dated labels print now?), `Spool` (jobs as people ask for them), `Sender`
(one job to its printer, and how it ended), `QueueRunner` (the background worker: recovery,
claiming due jobs, waking on new ones). Job rows themselves live in `tui.store.label_jobs`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import date, datetime

from tui.config import CodesConfig, Config, LabelsConfig, PrinterConfig
from tui.devices.backoff import Backoff
from tui.devices.clock import SyncSource, system_clock_synced
from tui.devices.printers import Printer, make_printer
from tui.labels import LabelData, RenderedLabel, from_json
from tui.services.printing.clock import ClockGuard
from tui.services.printing.printers import Printers
from tui.services.printing.runner import QueueRunner
from tui.services.printing.sender import RETRY, Sender, stored_label, utc_now
from tui.services.printing.spool import LotLabel, Spool
from tui.store import label_jobs
from tui.store.label_jobs import Job
from tui.store.models import JobStatus, Lot


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
    ) -> None:
        self.printers = Printers(printers, default_printer)
        self.clock = clock
        """The clock rule (None: dated labels never wait)."""
        self.now = now
        self.spool = Spool(self.printers, clock=clock, codes=codes or CodesConfig())
        self.runner = QueueRunner(
            self.printers,
            Sender(self.printers, backoff=backoff, now=now),
            before_pass=self.spool.release_if_trusted,
            now=now,
        )
        self.spool.on_queued = self.runner.wake

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
            codes=config.codes,
        )

    # Asking for labels (nothing is sent here; the runner is woken)

    async def enqueue(
        self,
        template_name: str,
        data: LabelData,
        *,
        printer: str | None = None,
        copies: int = 1,
        lot: Lot | None = None,
    ) -> Job:
        return await self.spool.enqueue(template_name, data, printer=printer, copies=copies, lot=lot)

    async def enqueue_lot_label(self, code: str, *, copies: int = 1, printer: str | None = None) -> Job:
        return await self.spool.enqueue_lot_label(code, copies=copies, printer=printer)

    async def enqueue_new_lot(self, code: str, labels: LabelsConfig) -> Job:
        return await self.spool.enqueue_new_lot(code, labels)

    async def reprint(self, job_id: int, copies: int | None = None) -> Job:
        return await self.spool.reprint(job_id, copies)

    async def reprint_lot(self, code: str) -> LotLabel:
        return await self.spool.reprint_lot(code)

    async def retry(self, job_id: int) -> Job:
        return await self.spool.retry(job_id)

    async def cancel(self, job_id: int) -> Job:
        return await self.spool.cancel(job_id)

    async def confirm_date(self, day: date) -> list[Job]:
        return await self.spool.confirm_date(day)

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
        return from_json(row.template, row.payload.get("data", {}))

    # Sending

    async def recover(self) -> list[int]:
        return await self.runner.recover()

    async def process_once(self) -> list[Job]:
        return await self.runner.process_once()

    async def run(self, stop: asyncio.Event, *, poll_s: float = 1.0) -> None:
        """The background worker: recover, then send due jobs until `stop` is set."""
        await self.runner.run(stop, poll_s=poll_s)
