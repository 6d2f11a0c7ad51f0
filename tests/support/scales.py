"""A fake bench scale on a real pseudo-terminal, speaking a protocol's exact bytes (`FakeScale`), and
`fake_scales`: the fixture body that unplugs every one a test left plugged in."""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path


class FakeScale:
    """Plays a scale on the master side of a pty, in a thread.

    `stream` lines are sent every `interval` (the last one repeats, or the whole list cycles),
    like a scale in continuous mode; `answers` maps a command to the lines it answers in turn
    (the last repeats), like a scale in command mode. Every command received is kept.
    """

    def __init__(
        self,
        *,
        stream: Sequence[bytes] = (),
        answers: dict[bytes, Sequence[bytes]] | None = None,
        interval: float = 0.05,
        cycle: bool = False,
        link: Path | None = None,
    ) -> None:
        self.master, slave = os.openpty()
        self.port = os.ttyname(slave)
        os.close(slave)
        os.set_blocking(self.master, False)
        if link is not None:
            link.symlink_to(self.port)
            self.port = str(link)
        self.link = link
        self.stream = list(stream)
        self.answers = {k: list(v) for k, v in (answers or {}).items()}
        self.interval = interval
        self.cycle = cycle
        self.received: list[bytes] = []
        self._sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def play(self, lines: Sequence[bytes]) -> None:
        """Start streaming these lines now (after the reader is connected, so none is lost)."""
        self._sent = 0
        self.stream = list(lines)

    def unplug(self) -> None:
        self._stop.set()
        self._thread.join()
        os.close(self.master)
        if self.link is not None:
            self.link.unlink()

    def _write(self, line: bytes) -> None:
        with contextlib.suppress(OSError):  # nobody has the port open: lost, as on a wire
            os.write(self.master, line + b"\r\n")

    def _answer(self, command: bytes) -> None:
        self.received.append(command)
        replies = self.answers.get(command)
        if replies:
            self._write(replies.pop(0) if len(replies) > 1 else replies[0])

    def _run(self) -> None:
        pending = b""
        due = time.monotonic()
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.01)
            if ready:
                try:
                    pending += os.read(self.master, 1024)
                except (BlockingIOError, OSError):  # EIO while no one has the slave open
                    time.sleep(0.01)
                while b"\n" in pending:
                    command, pending = pending.split(b"\n", 1)
                    self._answer(command.rstrip(b"\r"))
            if self.stream and time.monotonic() >= due:
                index = self._sent % len(self.stream) if self.cycle else min(self._sent, len(self.stream) - 1)
                self._write(self.stream[index])
                self._sent += 1
                due = time.monotonic() + self.interval


def fake_scales() -> Iterator[type[FakeScale]]:
    """Make fakes with the class yielded; any still plugged in are unplugged afterwards."""
    made: list[FakeScale] = []

    class Tracked(FakeScale):
        def __init__(self, **kw: object) -> None:
            super().__init__(**kw)  # type: ignore[arg-type]
            made.append(self)

    yield Tracked
    for fake in made:
        if not fake._stop.is_set():
            fake.unplug()
