"""The queue's worker: recover after a crash, then send due jobs, oldest first, until told to stop.

A job is sent only by whoever claims it (QUEUED -> SENDING, one conditional update), so two
workers sharing a store never both send it. A printer that fails to take a job is not asked
again in the same pass: one failed connect per printer and pass, not one per waiting job.
Every pass first looks for jobs of this station whose sender is gone (`recovery`); while a job
is sent, its lease's heartbeat is renewed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime

from tui.services.printing.lease import HEARTBEAT_S, this_process
from tui.services.printing.printers import Printers
from tui.services.printing.recovery import fail_interrupted, fail_quit
from tui.services.printing.sender import Sender
from tui.store import label_jobs
from tui.store.label_jobs import Job, Lease
from tui.store.models import JobStatus


class QueueRunner:
    def __init__(
        self,
        printers: Printers,
        sender: Sender,
        *,
        before_pass: Callable[[], Awaitable[None]],
        now: Callable[[], datetime],
        station: str | None = None,
    ) -> None:
        self.printers = printers
        self.station = station
        self.heartbeat_s = HEARTBEAT_S
        """How often the lease of a job being sent is renewed."""
        self.sender = sender
        self.before_pass = before_pass
        """Run at the start of every pass (held labels are released there once the clock is trusted)."""
        self.now = now
        self._in_flight: set[int] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._wake = asyncio.Event()

    @property
    def sending(self) -> list[int]:
        """Jobs this process is sending right now."""
        return sorted(self._in_flight)

    async def finish_sending(self, timeout_s: float) -> bool:
        """Wait up to `timeout_s` for the jobs being sent; False if one is still going."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout_s)
        except TimeoutError:
            return False
        return True

    async def interrupt(self) -> list[int]:
        """The jobs being sent as the process quits become FAILED now: whether their labels
        came out only a person at the printer can tell."""
        return await fail_quit(self.sending, this_process())

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    async def recover(self) -> list[int]:
        """Jobs of this station left SENDING by a process that is gone: FAILED (see `recovery`)."""
        return await fail_interrupted(self.station, list(self.printers), self.now(), self._in_flight)

    async def _beat(self, job_id: int, lease: Lease) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            with contextlib.suppress(Exception):  # a busy store: the next beat, or the pid, tells
                await label_jobs.beat([job_id], lease, self.now())

    async def process_once(self) -> list[Job]:
        """Send every due job of our printers, oldest first; returns them as they ended up."""
        await self.recover()
        await self.before_pass()
        done: list[Job] = []
        unavailable: set[str] = set()
        lease = this_process()
        for row in await label_jobs.due(list(self.printers), self.now(), self.station):
            if row.printer in unavailable or not await label_jobs.claim(row, self.now(), lease):
                continue
            self._in_flight.add(row.id)
            self._idle.clear()
            beating = asyncio.ensure_future(self._beat(row.id, lease))
            try:
                job = await self.sender.send(row, lease)
            except asyncio.CancelledError:  # the App stopped us mid-send: a person must look
                await fail_quit([row.id], lease)
                raise
            finally:
                beating.cancel()
                self._in_flight.discard(row.id)
                if not self._in_flight:
                    self._idle.set()
            if job.status == JobStatus.QUEUED:
                unavailable.add(row.printer)
            done.append(job)
        return done

    async def run(self, stop: asyncio.Event, *, poll_s: float = 1.0) -> None:
        """Recover and send due jobs until `stop` is set (woken early by `wake`)."""
        while not stop.is_set():
            self._wake.clear()
            await self.process_once()
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            await asyncio.wait(waits, timeout=poll_s, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waits:
                waiter.cancel()
