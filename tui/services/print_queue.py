"""The persistent print queue: a label job is written before anything is sent, and never sent twice.

A job row holds the rendered PNG, the template and its version, and the data it was drawn from,
so what went onto a label is on record even if the product is renamed later. Sending follows
one rule: a job is claimed (QUEUED -> SENDING, a conditional update, so two workers cannot both
take it) before its bytes go out, and becomes SENT after. A printer that is off, refuses or
stops answering leaves the job QUEUED with the error, and it is tried again after a capped
exponential backoff. A send that may have printed part of a job (`MaybePrinted`), and a job
found SENDING after a restart, become FAILED: only a person can tell whether the label came
out, so only a person reprints (a new job, `reprint_of` the old one).

Dated labels (lot, batch) are HELD while the clock cannot be trusted (see tui.devices.clock).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from tui.config import CodesConfig, Config, LabelsConfig, PrinterConfig
from tui.devices.clock import ClockGuard, SyncSource, system_clock_synced
from tui.devices.printers import make_printer
from tui.devices.printers.base import MaybePrinted, Printer
from tui.errors import InvalidInput, LotkeeperError, NotFound
from tui.labels import (
    LabelData,
    RenderedLabel,
    from_json,
    label_size,
    load_png,
    render,
    template,
    to_json,
)
from tui.services.label_data import MAX_COPIES, lot_label_data, new_lot_copies
from tui.store.models import Event, JobStatus, LabelJob, Lot

INTERRUPTED = "interrupted while sending: check the printer, then reprint if the label did not come out"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Backoff:
    first_s: float = 5.0
    factor: float = 2.0
    max_s: float = 300.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.max_s, self.first_s * self.factor ** max(attempts - 1, 0)))


@dataclass(frozen=True)
class Job:
    id: int
    lot: str | None
    printer: str
    template: str
    template_version: int
    copies: int
    status: JobStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    reprint_of: int | None

    @classmethod
    def of(cls, row: LabelJob) -> Job:
        lot = row.lot.code if row.lot is not None else None
        return cls(
            row.id,
            lot,
            row.printer,
            row.template,
            row.template_version,
            row.copies,
            row.status,
            row.attempts,
            row.last_error,
            row.next_attempt_at,
            row.created_at,
            row.sent_at,
            row.reprint_of_id,  # type: ignore[attr-defined]
        )

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _copies(copies: int) -> int:
    if not 1 <= copies <= MAX_COPIES:
        raise InvalidInput(f"copies must be 1 to {MAX_COPIES}, not {copies}")
    return copies


class PrintQueue:
    def __init__(
        self,
        printers: Iterable[Printer],
        *,
        clock: ClockGuard | None = None,
        backoff: Backoff = Backoff(),
        now: Callable[[], datetime] = utc_now,
        default_printer: str | None = None,
        codes: CodesConfig | None = None,
    ) -> None:
        self.printers = {p.name: p for p in printers}
        self.codes = codes or CodesConfig()
        self.clock = clock
        self.backoff = backoff
        self.now = now
        self.default_printer = default_printer
        self._in_flight: set[int] = set()
        self._kick = asyncio.Event()

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        sync: SyncSource = system_clock_synced,
        today: Callable[[], date] = date.today,
        printers: Iterable[PrinterConfig] | None = None,
    ) -> PrintQueue:
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

    def printer(self, name: str | None = None) -> Printer:
        if not self.printers:
            raise InvalidInput("no printer is configured: add a [[printers]] entry to the config")
        wanted = name or self.default_printer or next(iter(self.printers))
        if wanted in self.printers:
            return self.printers[wanted]
        known = ", ".join(self.printers) or "none"
        raise InvalidInput(f"no printer named {wanted!r} (configured: {known})")

    async def job(self, job_id: int) -> Job:
        return Job.of(await self._job(job_id))

    async def _job(self, job_id: int) -> LabelJob:
        row = await LabelJob.get_or_none(id=job_id).select_related("lot")
        if row is None:
            raise NotFound(f"no print job {job_id}: see `lotkeeper queue` for the job numbers")
        return row

    async def _log(self, kind: str, message: str) -> None:
        await Event.create(kind=kind, message=message)

    async def enqueue(
        self,
        template_name: str,
        data: LabelData,
        *,
        printer: str | None = None,
        copies: int = 1,
        lot: Lot | None = None,
    ) -> Job:
        """Render, then write the job (HELD if dated and the clock is not trusted). Nothing is sent here."""
        _copies(copies)
        target = self.printer(printer)
        label = render(template_name, data, target.label)
        status = JobStatus.QUEUED
        if (
            template(template_name).dated
            and self.clock is not None
            and not (await self.clock.check()).trusted
        ):
            status = JobStatus.HELD
        row = await LabelJob.create(
            lot=lot,
            printer=target.name,
            template=template_name,
            template_version=label.version,
            payload={"size": label.size.id, "dpi": label.size.dpi, "data": to_json(data)},
            copies=copies,
            status=status,
            image_png=label.png(),
        )
        self._kick.set()
        return Job.of(await self._job(row.id))

    async def enqueue_lot_label(self, code: str, *, copies: int = 1, printer: str | None = None) -> Job:
        """Queue the label of a material lot or batch, drawn from what the database says now."""
        name, data, lot = await lot_label_data(code, self.codes)
        return await self.enqueue(name, data, printer=printer, copies=copies, lot=lot)

    async def enqueue_new_lot(self, code: str, labels: LabelsConfig) -> Job:
        """The labels of a lot just received or made (how many: `label_data.new_lot_copies`)."""
        return await self.enqueue_lot_label(code, copies=await new_lot_copies(code, labels))

    async def label(self, job_id: int) -> RenderedLabel:
        """The stored image of a job, exactly as it was (or will be) printed."""
        row = await self._job(job_id)
        size = label_size(row.payload["size"], row.payload.get("dpi", 300))
        return load_png(row.image_png or b"", size, row.template, row.template_version)

    async def data(self, job_id: int) -> LabelData:
        row = await self._job(job_id)
        return from_json(row.template, row.payload.get("data", {}))

    async def jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[Job]:
        query = LabelJob.all() if status is None else LabelJob.filter(status=status)
        rows = await query.order_by("-id").limit(limit).select_related("lot")
        return [Job.of(r) for r in rows]

    async def _release_if_trusted(self) -> None:
        if self.clock is None or not await LabelJob.filter(status=JobStatus.HELD).exists():
            return
        if (await self.clock.check()).trusted:
            await LabelJob.filter(status=JobStatus.HELD).update(status=JobStatus.QUEUED, next_attempt_at=None)

    async def confirm_date(self, day: date) -> list[Job]:
        """The operator vouches for today's date: held labels are released to print."""
        if self.clock is None:
            raise InvalidInput("the clock check is not in use: nothing is held")
        async with in_transaction():
            await self.clock.confirm(day)
            held = await LabelJob.filter(status=JobStatus.HELD).values_list("id", flat=True)
            await LabelJob.filter(id__in=held).update(status=JobStatus.QUEUED, next_attempt_at=None)
        self._kick.set()
        return [Job.of(await self._job(i)) for i in held]  # type: ignore[arg-type]

    async def recover(self) -> list[int]:
        """Jobs of our printers left SENDING by a process that died: FAILED, never resent on their own.

        Another station's printers are its own business: its jobs may be sending right now.
        """
        stuck = (
            await LabelJob.filter(status=JobStatus.SENDING, printer__in=list(self.printers))
            .exclude(id__in=self._in_flight)
            .values_list("id", flat=True)
        )
        for job_id in stuck:
            await LabelJob.filter(id=job_id, status=JobStatus.SENDING).update(
                status=JobStatus.FAILED, last_error=INTERRUPTED
            )
            await self._log("print_interrupted", f"label job {job_id}: {INTERRUPTED}")
        return list(stuck)  # type: ignore[arg-type]

    async def _claim(self, row: LabelJob) -> bool:
        now = self.now()
        claimed = await LabelJob.filter(id=row.id, status=JobStatus.QUEUED).update(
            status=JobStatus.SENDING, attempts=row.attempts + 1, next_attempt_at=now
        )
        return claimed == 1

    async def _send(self, row: LabelJob) -> Job:
        printer = self.printers[row.printer]
        attempts = row.attempts + 1
        try:
            size = label_size(row.payload["size"], row.payload.get("dpi", 300))
            label = load_png(row.image_png or b"", size, row.template, row.template_version)
            await asyncio.to_thread(printer.send, label, row.copies)
        except MaybePrinted as exc:
            await LabelJob.filter(id=row.id).update(status=JobStatus.FAILED, last_error=exc.message)
            await self._log("print_failed", f"label job {row.id} on {row.printer}: {exc.message}")
        except LotkeeperError as exc:  # nothing printed: try again later
            retry_at = self.now() + self.backoff.delay(attempts)
            await LabelJob.filter(id=row.id).update(
                status=JobStatus.QUEUED, last_error=exc.message, next_attempt_at=retry_at
            )
            if attempts == 1:
                await self._log("printer_trouble", f"label job {row.id} on {row.printer}: {exc.message}")
        except Exception as exc:  # a bug mid-send: it may have printed, so a person decides
            message = (
                f"unexpected error while sending ({type(exc).__name__}: {exc}): "
                "check the printer, then reprint"
            )
            await LabelJob.filter(id=row.id).update(status=JobStatus.FAILED, last_error=message)
            await self._log("print_failed", f"label job {row.id}: {message}")
        else:
            await LabelJob.filter(id=row.id).update(
                status=JobStatus.SENT, sent_at=self.now(), last_error=None, next_attempt_at=None
            )
        return Job.of(await self._job(row.id))

    async def process_once(self) -> list[Job]:
        """Send every due job of our printers, oldest first; returns them as they ended up."""
        await self._release_if_trusted()
        due = await LabelJob.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=self.now()),
            status=JobStatus.QUEUED,
            printer__in=list(self.printers),
        ).order_by("id")
        done: list[Job] = []
        unavailable: set[str] = set()  # one failed connect per printer and pass, not one per job
        for row in due:
            if row.printer in unavailable or not await self._claim(row):
                continue
            self._in_flight.add(row.id)
            try:
                job = await self._send(row)
            finally:
                self._in_flight.discard(row.id)
            if job.status == JobStatus.QUEUED:
                unavailable.add(row.printer)
            done.append(job)
        return done

    async def run_queue(self, stop: asyncio.Event, *, poll_s: float = 1.0) -> None:
        """The worker: recover, then send due jobs until `stop` is set (woken early by enqueue)."""
        await self.recover()
        while not stop.is_set():
            self._kick.clear()
            await self.process_once()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._kick.wait())]
            await asyncio.wait(waits, timeout=poll_s, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waits:
                waiter.cancel()

    async def retry(self, job_id: int) -> Job:
        """Send a waiting or failed job now (a FAILED one only after a person checked the printer)."""
        row = await self._job(job_id)
        if row.status not in (JobStatus.QUEUED, JobStatus.FAILED):
            raise InvalidInput(
                f"job {job_id} is {row.status.value}: only queued or failed jobs can be retried"
            )
        await LabelJob.filter(id=job_id).update(status=JobStatus.QUEUED, next_attempt_at=None)
        self._kick.set()
        return Job.of(await self._job(job_id))

    async def cancel(self, job_id: int) -> Job:
        row = await self._job(job_id)
        if row.status not in (JobStatus.QUEUED, JobStatus.HELD, JobStatus.FAILED):
            raise InvalidInput(f"job {job_id} is {row.status.value}: it can no longer be cancelled")
        await LabelJob.filter(id=job_id).update(status=JobStatus.CANCELLED, next_attempt_at=None)
        return Job.of(await self._job(job_id))

    async def reprint(self, job_id: int, copies: int | None = None) -> Job:
        """A new job with the very same image, linked to the original."""
        row = await self._job(job_id)
        if row.printer not in self.printers:
            raise InvalidInput(f"job {job_id} was for printer {row.printer!r}, which is not configured here")
        new = await LabelJob.create(
            lot_id=row.lot_id,  # type: ignore[attr-defined]
            printer=row.printer,
            template=row.template,
            template_version=row.template_version,
            payload=row.payload,
            copies=_copies(copies or row.copies),
            image_png=row.image_png,
            reprint_of=row,
        )
        self._kick.set()
        return Job.of(await self._job(new.id))
