"""The print queue's rows: label jobs as stored, and every change of their status.

Each status change is one conditional UPDATE on the job's current status, so two processes on
one store (two stations, or the App and a `lotkeeper queue` command) never both move the same
job: whoever changes QUEUED to SENDING (`claim`) is the one that sends it. What the statuses
mean and when they change is decided in `tui.services.printing`; this module only keeps them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from tui.errors import NotFound
from tui.store.models import JobStatus, LabelJob, Lot


@dataclass(frozen=True)
class Lease:
    """Who is sending a SENDING job (see `tui.services.printing.lease`)."""

    host: str
    pid: int
    start: str
    """`BOOT_ID:START_TICKS`: the process's identity beyond its reusable pid."""

    @classmethod
    def of(cls, row: LabelJob) -> Lease | None:
        if row.sender_host is None or row.sender_pid is None or row.sender_start is None:
            return None
        return cls(row.sender_host, row.sender_pid, row.sender_start)


@dataclass(frozen=True)
class Job:
    """A label job as its users see it (the image and label data are read separately)."""

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
        """From a row fetched with its lot (`select_related("lot")`)."""
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


async def row(job_id: int) -> LabelJob:
    found = await LabelJob.get_or_none(id=job_id).select_related("lot")
    if found is None:
        raise NotFound(f"no print job {job_id}: see `lotkeeper queue` for the job numbers")
    return found


async def get(job_id: int) -> Job:
    return Job.of(await row(job_id))


async def listing(status: JobStatus | None = None, limit: int = 100) -> list[Job]:
    """Newest first."""
    query = LabelJob.all() if status is None else LabelJob.filter(status=status)
    return [Job.of(r) for r in await query.order_by("-id").limit(limit).select_related("lot")]


async def create(
    *,
    lot_id: int | None,
    printer: str,
    template: str,
    template_version: int,
    payload: dict[str, Any],
    copies: int,
    image_png: bytes | None,
    status: JobStatus = JobStatus.QUEUED,
    reprint_of: LabelJob | None = None,
    station: str | None = None,
) -> Job:
    new = await LabelJob.create(
        station=station,
        lot_id=lot_id,
        printer=printer,
        template=template,
        template_version=template_version,
        payload=payload,
        copies=copies,
        status=status,
        image_png=image_png,
        reprint_of=reprint_of,
    )
    return await get(new.id)


async def last_for_lot(lot: Lot) -> LabelJob | None:
    """The lot's newest job that was not cancelled."""
    return (
        await LabelJob.filter(lot_id=lot.id)
        .exclude(status=JobStatus.CANCELLED)
        .order_by("-id")
        .first()
        .select_related("lot")
    )


def _station(station: str | None) -> Q:
    """A station's jobs, and those written before jobs recorded their station (anyone's)."""
    return Q(station__isnull=True) if station is None else Q(station=station) | Q(station__isnull=True)


async def due(printers: Collection[str], now: datetime, station: str | None = None) -> list[LabelJob]:
    """QUEUED jobs of these printers (and this station) whose next attempt is due, oldest first."""
    return await LabelJob.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        _station(station),
        status=JobStatus.QUEUED,
        printer__in=list(printers),
    ).order_by("id")


async def claim(job: LabelJob, now: datetime, lease: Lease) -> bool:
    """QUEUED -> SENDING under `lease`, counting the attempt; False when someone else took it first."""
    claimed = await LabelJob.filter(id=job.id, status=JobStatus.QUEUED).update(
        status=JobStatus.SENDING,
        attempts=job.attempts + 1,
        next_attempt_at=now,
        sender_host=lease.host,
        sender_pid=lease.pid,
        sender_start=lease.start,
        heartbeat_at=now,
    )
    return claimed == 1


def _held(job_id: int, lease: Lease | None) -> Any:
    """The job, if `lease` (when given) still holds it SENDING."""
    query = LabelJob.filter(id=job_id)
    if lease is None:
        return query
    return query.filter(
        status=JobStatus.SENDING, sender_host=lease.host, sender_pid=lease.pid, sender_start=lease.start
    )


async def beat(job_ids: Collection[int], lease: Lease, now: datetime) -> None:
    """Renew the heartbeat of the jobs `lease` is sending."""
    for job_id in job_ids:
        await _held(job_id, lease).update(heartbeat_at=now)


async def sent(job_id: int, at: datetime, lease: Lease | None = None) -> bool:
    """SENT (only while `lease` holds it, when given); False when it was not changed."""
    changed: int = await _held(job_id, lease).update(
        status=JobStatus.SENT, sent_at=at, last_error=None, next_attempt_at=None
    )
    return changed == 1


async def to_retry(job_id: int, error: str, at: datetime, lease: Lease | None = None) -> bool:
    """Back to QUEUED with the reason, not to be sent before `at`."""
    changed: int = await _held(job_id, lease).update(
        status=JobStatus.QUEUED, last_error=error, next_attempt_at=at
    )
    return changed == 1


async def failed(
    job_id: int, error: str, *, if_status: JobStatus | None = None, lease: Lease | None = None
) -> bool:
    """FAILED with the reason (only from `if_status`, only under `lease`, when given); False when
    it was not changed."""
    query = _held(job_id, lease)
    if if_status is not None:
        query = query.filter(status=if_status)
    changed: int = await query.update(status=JobStatus.FAILED, last_error=error)
    return changed == 1


async def sending(station: str | None, printers: Collection[str]) -> list[LabelJob]:
    """SENDING jobs this station may recover: its own, and (written before jobs had a station or
    a lease) those of its printers."""
    rows = await LabelJob.filter(_station(station), status=JobStatus.SENDING).order_by("id")
    return [r for r in rows if Lease.of(r) is not None or r.printer in printers]


async def requeue(job_ids: Collection[int], from_statuses: Collection[JobStatus]) -> int:
    """QUEUED and due now (a retry asked for, or held jobs released), those still in one of
    `from_statuses`: a job another process claimed or cancelled since the caller looked stays as
    it is (requeued, a job being sent would be sent twice). Returns how many moved."""
    moved: int = await LabelJob.filter(id__in=list(job_ids), status__in=list(from_statuses)).update(
        status=JobStatus.QUEUED, next_attempt_at=None
    )
    return moved


async def cancelled(job_id: int, from_statuses: Collection[JobStatus]) -> bool:
    """CANCELLED, if still in one of `from_statuses`; False when it was not changed."""
    changed: int = await LabelJob.filter(id=job_id, status__in=list(from_statuses)).update(
        status=JobStatus.CANCELLED, next_attempt_at=None
    )
    return changed == 1


async def ids_with(status: JobStatus, printers: Collection[str] | None = None) -> list[int]:
    """Ids of the jobs in `status` (of these printers only, when given)."""
    query = LabelJob.filter(status=status)
    if printers is not None:
        query = query.filter(printer__in=list(printers))
    found: list[int] = await query.values_list("id", flat=True)  # type: ignore[assignment]
    return found
