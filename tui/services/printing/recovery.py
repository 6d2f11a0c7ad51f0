"""After a crash: jobs our printers were sending when the process died.

Whether such a label came out, only a person standing at the printer can tell, so the job
becomes FAILED with a note and is never resent on its own (a person reprints it). Another
station's printers are its own business: its jobs may be sending right now.
"""

from __future__ import annotations

from collections.abc import Collection

from tui.store import label_jobs
from tui.store.models import Event, JobStatus

INTERRUPTED = "interrupted while sending: check the printer, then reprint if the label did not come out"
QUIT = "Lotkeeper was quit while sending: check the printer, then reprint if the label did not come out"


async def fail_quit(job_ids: Collection[int]) -> list[int]:
    """FAILED for jobs this process was sending when it was told to quit (they stay SENDING
    otherwise until the next start with the same printer)."""
    failed = []
    for job_id in job_ids:
        if await label_jobs.failed(job_id, QUIT, if_status=JobStatus.SENDING):
            await Event.create(kind="print_interrupted", message=f"label job {job_id}: {QUIT}")
            failed.append(job_id)
    return failed


async def fail_interrupted(printers: Collection[str], in_flight: Collection[int] = ()) -> list[int]:
    """FAILED for every job of `printers` left SENDING, except those this process is sending now."""
    failed = []
    for job_id in await label_jobs.ids_with(JobStatus.SENDING, printers):
        if job_id not in in_flight and await label_jobs.failed(
            job_id, INTERRUPTED, if_status=JobStatus.SENDING
        ):
            await Event.create(kind="print_interrupted", message=f"label job {job_id}: {INTERRUPTED}")
            failed.append(job_id)
    return failed
