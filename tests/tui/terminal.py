"""Lotkeeper in a real pseudo-terminal, as a maker starts it: what reaches the screen, keys sent.

For the few things only a whole process shows: the first paint after `lotkeeper demo`, and how
the App ends when it is quit with a label half sent.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

ALT_SCREEN = b"\x1b[?1049h"
_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def quiet_env(home: Path) -> dict[str, str]:
    """A process environment whose config and data folders are `home`'s (not the user's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTKEEPER_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
    )
    return env


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.output = b""

    @property
    def screen(self) -> str:
        """What was drawn since the app took the screen over, escape sequences removed."""
        _, _, drawn = self.output.partition(ALT_SCREEN)
        return _ESCAPES.sub("", drawn.decode("utf-8", "replace"))

    def read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                self.output += os.read(self.master, 65536)
            except OSError:  # the process has gone and the pty with it
                time.sleep(timeout)

    def wait_for(self, seen: Callable[[str], object], timeout: float = 30) -> float:
        """Seconds from start until `seen(screen)` holds."""
        deadline = time.monotonic() + timeout
        while not seen(self.screen):
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen after {timeout} s:\n{self.screen[-3000:]}")
            self.read(0.05)
        return time.monotonic() - self.started

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def wait_exit(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running after {timeout} s:\n{self.screen[-2000:]}")
            self.read(0.05)
        self.read(0.05)
        return self.process.returncode

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


def lotkeeper(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]
