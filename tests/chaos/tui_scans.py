"""Scans typed into the running terminal app, black-box, the way a keyboard-wedge scanner types.

`lotkeeper --db STORE` runs in a pseudo-terminal of 120x40; each scan is written as one burst
ending in Enter (a wedge scanner's keys arrive faster than any typist's). Nothing of the App's
insides is used, so this keeps working while the App is reorganised. After every scan the app
must still be running; at the end Ctrl+Q must close it with exit code 0, with no traceback on the
screen, and the store must pass `check`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import random
import select
import struct
import sys
import termios
import time
from dataclasses import dataclass, field

from .scans import GS, generate
from .stores import CampaignFailure, Workdir, check_passes, seeded_store

SETTLE_S = 0.3
"""Screen quiet this long: the app has drawn what the last key asked for."""
START_TIMEOUT_S = 30
SCAN_TIMEOUT_S = 10


@dataclass
class TuiFigures:
    scans: int = 0
    alive_after: int = 0
    slowest_s: float = 0.0
    exit_code: int | None = None
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"TUI in a pty: {self.scans} scans typed, app running after {self.alive_after}, slowest screen "
            f"{self.slowest_s * 1000:.0f} ms, Ctrl+Q exit code {self.exit_code}, "
            f"failures {len(self.failures)}"
        )


def _typable(text: str) -> str:
    """What a wedge scanner can type: no control key but GS, which scanners send for GS1."""
    kept = "".join(
        c for c in text if c == GS or (c >= " " and c != "\x7f" and not 0xD800 <= ord(c) <= 0xDFFF)
    )
    return kept[:200]


class Terminal:
    def __init__(self, argv: list[str]) -> None:
        env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", COLUMNS="120", LINES="40")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover (the child becomes the app)
            os.execve(sys.executable, [sys.executable, "-m", "tui.cli", *argv], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.screen = bytearray()
        self.status: int | None = None

    def settle(self, timeout: float) -> float:
        """Read until the screen has been quiet for SETTLE_S; seconds until the last byte."""
        started = time.monotonic()
        last = started
        while time.monotonic() - started < timeout:
            ready, _, _ = select.select([self.fd], [], [], SETTLE_S)
            if not ready:
                if self.screen:
                    return last - started
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return last - started
            if not data:
                return last - started
            self.screen += data
            del self.screen[:-200_000]
            last = time.monotonic()
        raise CampaignFailure(f"the screen never settled in {timeout} s")

    def alive(self) -> bool:
        if self.status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid:
            self.status = os.waitstatus_to_exitcode(status)
        return self.status is None

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            with contextlib.suppress(CampaignFailure):
                self.settle(0.5)
        if self.alive():
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
            return None
        return self.status

    def close(self) -> None:
        if self.alive():
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def tui_scans(work: Workdir, count: int) -> TuiFigures:
    figures = TuiFigures()
    target, seeded = seeded_store(work)
    rng = random.Random(11)
    term = Terminal(work.lk(target))
    try:
        term.settle(START_TIMEOUT_S)
        for _ in range(count):
            scan = _typable(generate(rng, seeded)) or "EMPTY"
            term.type(scan + "\r")
            figures.scans += 1
            figures.slowest_s = max(figures.slowest_s, term.settle(SCAN_TIMEOUT_S))
            if not term.alive():
                figures.failures.append(
                    f"the app ended after the scan {scan[:80]!r}: {bytes(term.screen[-800:])!r}"
                )
                break
            figures.alive_after += 1
        term.type("\x11")  # Ctrl+Q
        figures.exit_code = term.wait(15)
        if figures.exit_code != 0:
            figures.failures.append(
                f"Ctrl+Q ended the app with {figures.exit_code}: {bytes(term.screen[-800:])!r}"
            )
        if b"Traceback" in term.screen:
            figures.failures.append("a traceback reached the screen")
    except CampaignFailure as exc:
        figures.failures.append(str(exc))
    finally:
        term.close()
    try:
        check_passes(work, target)
    except CampaignFailure as exc:
        figures.failures.append(str(exc))
    return figures
