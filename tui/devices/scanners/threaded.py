"""A device read by a background thread that survives unplugging.

Serial ports and grabbed input devices both block on reads and both vanish when a cable is
pulled. This base owns the part they share: one thread per device, hand-off to the asyncio loop
with `call_soon_threadsafe`, a status event when the device goes or comes back, reopening with
capped exponential backoff (never a busy loop), and a `stop()` that interrupts the read and joins.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

from tui.config import ScannerConfig
from tui.devices.scanners.base import REOPEN, QueuedSource, ScannerEvent, ScannerStatus, make_scan
from tui.errors import ScannerError

H = TypeVar("H")


class ThreadedScanner(QueuedSource, ABC, Generic[H]):
    """Subclasses open a handle, read scans from it until told to stop, and close it."""

    def __init__(self, cfg: ScannerConfig) -> None:
        super().__init__(cfg)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._handle: H | None = None

    @abstractmethod
    def _open(self) -> H:
        """Open the device or raise `ScannerError` saying what to do about it."""

    @abstractmethod
    def _read_until_stopped(self, handle: H) -> None:
        """Call `_emit_raw` per scan; return once `_stopping` is set; raise `ScannerError` when
        the device is lost."""

    @abstractmethod
    def _interrupt(self, handle: H) -> None:
        """Wake a blocked read so the thread notices `_stopping` (called with the lock held)."""

    @abstractmethod
    def _close(self, handle: H) -> None: ...

    def describe(self) -> str:
        return f"reading {self.cfg.port}"

    async def start(self) -> None:
        if self._thread is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._stopping.clear()
        handle = self._open()
        with self._lock:
            self._handle = handle
        self._put(ScannerStatus(self.name, True, self.describe()))
        self._thread = threading.Thread(
            target=self._run, args=(handle,), name=f"scanner:{self.name}", daemon=True
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

    def _emit(self, item: ScannerEvent) -> None:
        loop = self._loop
        if loop is None:
            return
        # RuntimeError: the loop closed under us at shutdown, so nobody is listening.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _emit_raw(self, raw: str) -> None:
        scan = make_scan(raw, self.cfg, time.monotonic())
        if scan is not None:
            self._emit(scan)

    def _release(self, handle: H) -> None:
        with self._lock:
            self._handle = None
            self._close(handle)

    def _run(self, handle: H) -> None:
        current: H | None = handle
        while current is not None:
            try:
                self._read_until_stopped(current)
            except ScannerError as exc:
                lost = exc.message
            else:
                lost = ""
            finally:
                self._release(current)
            if self._stopping.is_set():
                return
            self._emit(ScannerStatus(self.name, False, lost))
            current = self._reopen(lost)

    def _reopen(self, reported: str) -> H | None:
        """Retry until the device is back (report it) or `stop()` is called (return None)."""
        delays = REOPEN.delays()
        while not self._stopping.wait(next(delays)):
            try:
                handle = self._open()
            except ScannerError as exc:
                if exc.message != reported:
                    reported = exc.message
                    self._emit(ScannerStatus(self.name, False, reported))
                continue
            with self._lock:
                if self._stopping.is_set():
                    self._close(handle)
                    return None
                self._handle = handle
            self._emit(ScannerStatus(self.name, True, self.describe()))
            return handle
        return None
