"""Another label for a lot, from scanning one of its old labels.

Scanning a label in the Labels screen means "I need another one of these". The lot's last job
is reprinted (the very same image, linked to it) so the new label matches the old exactly; a
lot that never had a label, or whose label was for a printer this station does not have, gets
a newly rendered one. A job still waiting to print is not doubled: the scan just points at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tui.services.catalog import find_lot
from tui.services.print_queue import Job, PrintQueue
from tui.store.models import JobStatus, LabelJob

WAITING = (JobStatus.QUEUED, JobStatus.HELD, JobStatus.SENDING)


@dataclass(frozen=True)
class LotLabel:
    job: Job
    """The job that will print the label (new), or the one already waiting for it."""
    action: Literal["reprinted", "queued", "waiting"]
    message: str


async def reprint_lot(queue: PrintQueue, code: str) -> LotLabel:
    lot = await find_lot(code)
    last = (
        await LabelJob.filter(lot_id=lot.id)
        .exclude(status=JobStatus.CANCELLED)
        .order_by("-id")
        .first()
        .select_related("lot")
    )
    if last is not None and last.status in WAITING:
        return LotLabel(
            Job.of(last),
            "waiting",
            f"job {last.id} for {lot.code} is {last.status.value} already: nothing added",
        )
    if last is not None and last.printer in queue.printers:
        job = await queue.reprint(last.id)
        return LotLabel(job, "reprinted", f"reprint of job {last.id} for {lot.code} queued as job {job.id}")
    job = await queue.enqueue_lot_label(lot.code)
    why = "no label was printed for it yet" if last is None else f"its last label was for {last.printer}"
    return LotLabel(job, "queued", f"new label for {lot.code} queued as job {job.id} ({why})")
