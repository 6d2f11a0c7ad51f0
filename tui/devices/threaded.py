"""A device read by a background thread that survives unplugging.

Serial scanners, grabbed input devices and serial scales all block on reads and all vanish when
a cable is pulled. This base owns the part they share: one thread per device, hand-off to the
asyncio loop with `call_soon_threadsafe`, a status event when the device goes or comes back,
reopening with capped exponential backoff (never a busy loop), and a `stop()` that interrupts
the read and joins. What an event is (a scan, a weight) is the subclass's business.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

from tui.devices.backoff import Backoff
from tui.errors import DeviceError

H = TypeVar("H")
E = TypeVar("E")

REOPEN = Backoff(first_s=0.2, max_s=5.0)
"""Waits between attempts to open a device that is not there (yet, or any more)."""


async def start_when_there(start: Callable[[], Awaitable[None]], failed: Callable[[str], None]) -> None:
    """Open a device, trying again with `REOPEN`'s waits while it is not there: a scanner or a
    scale plugged in after the app started is picked up. Each failure's message goes to
    `failed` (what the supervisor shows as the device's status)."""
    delays = REOPEN.delays()
    while True:
        try:
            await start()
            return
        except DeviceError as exc:
            failed(exc.message)
            await asyncio.sleep(next(delays))


class EventQueue(Generic[E]):
    """The `events()` half of a source: an asyncio queue ended by a sentinel on `stop()`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._queue: asyncio.Queue[E | None] = asyncio.Queue()

    async def events(self) -> AsyncIterator[E]:
        while (item := await self._queue.get()) is not None:
            yield item

    def _put(self, item: E | None) -> None:
        self._queue.put_nowait(item)


class ThreadedDevice(EventQueue[E], ABC, Generic[H, E]):
    """Subclasses open a handle, read from it until told to stop, and close it."""

    thread_prefix = "device"
    """The reader thread is named `{thread_prefix}:{name}` (visible in py-spy and tests)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._handle: H | None = None

    @abstractmethod
    def _open(self) -> H:
        """Open the device or raise a `DeviceError` saying what to do about it."""

    @abstractmethod
    def _read_until_stopped(self, handle: H) -> None:
        """Call `_emit` per event; return once `_stopping` is set; raise `DeviceError` when the
        device is lost."""

    @abstractmethod
    def _interrupt(self, handle: H) -> None:
        """Wake a blocked read so the thread notices `_stopping` (called with the lock held)."""

    @abstractmethod
    def _close(self, handle: H) -> None: ...

    @abstractmethod
    def _status(self, connected: bool, reason: str) -> E:
        """The event announcing that the device came (`reason`: what it reads) or went (why)."""

    @abstractmethod
    def describe(self) -> str:
        """What a connected device is doing, e.g. `reading /dev/ttyACM0`."""

    async def start(self) -> None:
        if self._thread is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._stopping.clear()
        handle = self._open()
        with self._lock:
            self._handle = handle
        self._put(self._status(True, self.describe()))
        self._thread = threading.Thread(
            target=self._run, args=(handle,), name=f"{self.thread_prefix}:{self.name}", daemon=True
        )
        self._thread.start()

    async def stop(self) -> None:
        """Interrupt and join the reader. Joining blocks the loop only for the moment the thread
        needs to notice; doing it inline keeps cleanup certain even if this task is cancelled."""
        self._stopping.set()
        thread = self._thread
        if thread is None:
            return
        with self._lock:
            if self._handle is not None:
                self._interrupt(self._handle)
        thread.join()
        if self._thread is thread:
            self._thread = None
            self._put(None)

    def _emit(self, item: E) -> None:
        loop = self._loop
        if loop is None:
            return
        # RuntimeError: the loop closed under us at shutdown, so nobody is listening.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _release(self, handle: H) -> None:
        with self._lock:
            self._handle = None
            self._close(handle)

    def _run(self, handle: H) -> None:
        current: H | None = handle
        while current is not None:
            try:
                self._read_until_stopped(current)
            except DeviceError as exc:
                lost = exc.message
            else:
                lost = ""
            finally:
                self._release(current)
            if self._stopping.is_set():
                return
            self._emit(self._status(False, lost))
            current = self._reopen(lost)

    def _reopen(self, reported: str) -> H | None:
        """Retry until the device is back (report it) or `stop()` is called (return None)."""
        delays = REOPEN.delays()
        while not self._stopping.wait(next(delays)):
            try:
                handle = self._open()
            except DeviceError as exc:
                if exc.message != reported:
                    reported = exc.message
                    self._emit(self._status(False, reported))
                continue
            with self._lock:
                if self._stopping.is_set():
                    self._close(handle)
                    return None
                self._handle = handle
            self._emit(self._status(True, self.describe()))
            return handle
        return None
