"""Jobs whose sender is gone: a process killed (or a computer switched off) mid-send.

Whether such a label came out, only a person standing at the printer can tell, so the job
becomes FAILED with a note and is never resent on its own (a person reprints it, or cancels it).
Any process of the station finds them: the App at every pass of its queue, and every `label` and
`queue` command. A job still has a live sender when its lease says so (`lease.sender_gone`);
another station's jobs are its own business, even with a dead sender: they may be sending from a
computer we cannot see.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from tui.services.printing.lease import sender_gone
from tui.store import label_jobs
from tui.store.label_jobs import Lease
from tui.store.models import Event, JobStatus

INTERRUPTED = "interrupted while sending: check the printer, then reprint if the label did not come out"
QUIT = "Lotkeeper was quit while sending: check the printer, then reprint if the label did not come out"


async def fail_quit(job_ids: Collection[int], lease: Lease | None = None) -> list[int]:
    """FAILED for jobs this process was sending when it was told to quit (`lease`: ours)."""
    failed = []
    for job_id in job_ids:
        if await label_jobs.failed(job_id, QUIT, if_status=JobStatus.SENDING, lease=lease):
            await Event.create(kind="print_interrupted", message=f"label job {job_id}: {QUIT}")
            failed.append(job_id)
    return failed


def _aware(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


async def fail_interrupted(
    station: str | None, printers: Collection[str], now: datetime, in_flight: Collection[int] = ()
) -> list[int]:
    """FAILED for every job of this station left SENDING by a sender that is gone (jobs written
    before jobs had a lease: those of `printers`), except those this process is sending now."""
    failed = []
    for row in await label_jobs.sending(station, printers):
        lease = Lease.of(row)
        if row.id in in_flight or (lease and not sender_gone(lease, _aware(row.heartbeat_at), now)):
            continue
        if await label_jobs.failed(row.id, INTERRUPTED, if_status=JobStatus.SENDING, lease=lease):
            await Event.create(kind="print_interrupted", message=f"label job {row.id}: {INTERRUPTED}")
            failed.append(row.id)
    return failed
