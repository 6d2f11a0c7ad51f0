"""Sending one claimed job, and recording how it ended: where "never printed twice" is kept.

The job was claimed (QUEUED -> SENDING) before it gets here, and becomes SENT after. A printer
that is off, refuses or stops answering leaves it QUEUED with the error, tried again after a
capped exponential backoff (`RETRY`). A send that may have printed part of the job
(`MaybePrinted`), and any unexpected error mid-send, make it FAILED: only a person can tell
whether the label came out, so only a person reprints. Printer trouble goes to the event log
once per job, not once per retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from tui.devices.backoff import Backoff
from tui.devices.printers import MaybePrinted
from tui.errors import LotkeeperError
from tui.services.printing.printers import Printers
from tui.store import label_jobs
from tui.store.label_jobs import Job, Lease
from tui.store.models import Event, LabelJob

if TYPE_CHECKING:
    from tui.labels import RenderedLabel

RETRY = Backoff(first_s=5.0, max_s=300.0)
"""Waits before a job that did not reach its printer is tried again."""

T = TypeVar("T")


async def in_daemon_thread(call: Callable[[], T], name: str) -> T:
    """`call()` in a thread of its own that never holds the process at exit: a printer that took
    the connection and went silent must not keep Lotkeeper from quitting (`asyncio.to_thread`
    uses the loop's executor, whose threads are joined when the loop closes)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not done.done():
            outcome()

    def deliver(outcome: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed (the App quit): nobody waits
            loop.call_soon_threadsafe(settle, outcome)

    def run() -> None:
        try:
            result = call()
        except BaseException as exc:  # handed to the awaiting task, which decides
            error = exc
            deliver(lambda: done.set_exception(error))
        else:
            deliver(lambda: done.set_result(result))

    threading.Thread(target=run, name=name, daemon=True).start()
    return await done


def utc_now() -> datetime:
    return datetime.now(UTC)


def stored_label(row: LabelJob) -> RenderedLabel:
    from tui.labels import label_size, load_png  # Pillow: when a label is printed

    """The image a job holds, exactly as it was (or will be) printed."""
    size = label_size(row.payload["size"], row.payload.get("dpi", 300))
    return load_png(row.image_png or b"", size, row.template, row.template_version)


class Sender:
    def __init__(
        self, printers: Printers, *, backoff: Backoff = RETRY, now: Callable[[], datetime] = utc_now
    ) -> None:
        self.printers = printers
        self.backoff = backoff
        self.now = now

    async def send(self, row: LabelJob, lease: Lease | None = None) -> Job:
        """Send a job this process has claimed under `lease` (`row` as it was before the claim).

        How it ended is written only while the lease still holds: a sender presumed gone (frozen
        past `lease.STALE_S`, say) whose job was failed meanwhile leaves that verdict standing and
        says in the event log how its send really ended."""
        attempts = row.attempts + 1
        try:
            printer, label = self.printers[row.printer], stored_label(row)
            await in_daemon_thread(lambda: printer.send(label, row.copies), f"label job {row.id}")
        except MaybePrinted as exc:
            if await label_jobs.failed(row.id, exc.message, lease=lease):
                await Event.create(
                    kind="print_failed", message=f"label job {row.id} on {row.printer}: {exc.message}"
                )
            else:
                await self._late(row, f"may have printed ({exc.message})")
        except LotkeeperError as exc:  # nothing printed: try again later
            retry_at = self.now() + timedelta(seconds=self.backoff.delay_s(attempts))
            if not await label_jobs.to_retry(row.id, exc.message, retry_at, lease):
                await self._late(row, f"did not print ({exc.message})")
            elif attempts == 1:
                await Event.create(
                    kind="printer_trouble", message=f"label job {row.id} on {row.printer}: {exc.message}"
                )
        except Exception as exc:  # a bug mid-send: it may have printed, so a person decides
            message = (
                f"unexpected error while sending ({type(exc).__name__}: {exc}): "
                "check the printer, then reprint"
            )
            if await label_jobs.failed(row.id, message, lease=lease):
                await Event.create(kind="print_failed", message=f"label job {row.id}: {message}")
            else:
                await self._late(row, message)
        else:
            if not await label_jobs.sent(row.id, self.now(), lease):
                await self._late(row, "printed after all")
        return await label_jobs.get(row.id)

    async def _late(self, row: LabelJob, outcome: str) -> None:
        await Event.create(
            kind="print_late",
            message=f"label job {row.id} on {row.printer} was marked failed while this process was "
            f"still sending it; the send then ended: {outcome}",
        )
