"""Run one Lotkeeper command in a forked child, and kill it with SIGKILL when told.

Forking from a process that has already imported Lotkeeper starts a command in a millisecond
instead of the half second a new interpreter takes, so a campaign can afford a thousand kills,
and the kill lands in the command's own work rather than in its imports. The child runs the real
entry point (`tui.cli.main`) with real files and databases; nothing is mocked.

Fork only from a process without threads (a campaign process, never the pytest process).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

HUNG = -1000
"""Exit code recorded for a child that outlived its timeout (it is then killed)."""


@dataclass(frozen=True)
class Outcome:
    code: int
    """Exit code; -9 when we killed it, HUNG when it outlived the timeout."""
    seconds: float
    out: str
    err: str

    @property
    def killed(self) -> bool:
        return self.code == -signal.SIGKILL

    @property
    def hung(self) -> bool:
        return self.code == HUNG


def _child(fn: Callable[[], int | None], out_w: int, err_w: int) -> None:
    os.dup2(out_w, 1)
    os.dup2(err_w, 2)
    code = 0
    try:
        code = fn() or 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (1 if exc.code else 0)
    except BaseException:
        traceback.print_exc()
        code = 99
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed stream: nothing more to say
                stream.flush()
        os._exit(code)


@dataclass
class Child:
    pid: int
    started: float
    pipes: dict[int, list[bytes]]
    """stdout and stderr read ends, in that order, with what was read from them."""
    kill_after: float | None = None
    killed: bool = False
    hung: bool = False
    ended: float | None = None
    """When its output closed (it exited): its time is its own, not that of the slowest child
    collected with it."""


def spawn(fn: Callable[[], int | None], *, kill_after: float | None = None) -> Child:
    """Fork a child running `fn`; `collect` waits for it (and kills it at `kill_after`)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child never returns)
        os.close(out_r)
        os.close(err_r)
        _child(fn, out_w, err_w)
    os.close(out_w)
    os.close(err_w)
    return Child(pid=pid, started=started, pipes={out_r: [], err_r: []}, kill_after=kill_after)


def collect(children: list[Child], *, timeout: float = 60.0) -> list[Outcome]:
    """Read every child's output until it ends, killing each at its moment or at `timeout`."""
    owner = {fd: child for child in children for fd in child.pipes}
    open_fds = list(owner)
    while open_fds:
        now = time.monotonic()
        deadlines = []
        for child in {owner[fd].pid: owner[fd] for fd in open_fds}.values():
            if child.kill_after is not None and not child.killed:
                if now - child.started >= child.kill_after:
                    os.kill(child.pid, signal.SIGKILL)
                    child.killed = True
                else:
                    deadlines.append(child.started + child.kill_after)
            if now - child.started >= timeout and not child.hung:
                child.hung = True
                os.kill(child.pid, signal.SIGKILL)
            deadlines.append(child.started + timeout)
        wait = max(0.0, min(deadlines) - now) if deadlines else None
        ready, _, _ = select.select(open_fds, [], [], wait)
        for fd in ready:
            data = os.read(fd, 65536)
            if data:
                owner[fd].pipes[fd].append(data)
            else:
                open_fds.remove(fd)
                if not any(owner[other] is owner[fd] for other in open_fds):
                    owner[fd].ended = time.monotonic()
    outcomes = []
    for child in children:
        _, status = os.waitpid(child.pid, 0)
        seconds = (child.ended or time.monotonic()) - child.started
        out_fd, err_fd = child.pipes
        for fd in child.pipes:
            os.close(fd)
        outcomes.append(
            Outcome(
                code=HUNG if child.hung else os.waitstatus_to_exitcode(status),
                seconds=seconds,
                out=b"".join(child.pipes[out_fd]).decode(errors="replace"),
                err=b"".join(child.pipes[err_fd]).decode(errors="replace"),
            )
        )
    return outcomes


def fork_call(
    fn: Callable[[], int | None], *, kill_after: float | None = None, timeout: float = 60.0
) -> Outcome:
    """Run `fn` in a child; SIGKILL it `kill_after` seconds after the fork (if still running)."""
    return collect([spawn(fn, kill_after=kill_after)], timeout=timeout)[0]


def cli(argv: list[str]) -> Callable[[], int | None]:
    """The real `lotkeeper ARGV...`, for `fork_call`."""

    def run() -> int | None:
        from tui.cli import main

        main(argv)
        return 0

    return run


def kill_before_statement(n: int, fn: Callable[[], int | None]) -> Callable[[], int | None]:
    """`fn`, killed just before its `n`-th SQLite statement (BEGIN and COMMIT count) runs."""

    def run() -> int | None:
        seen = 0
        connect = sqlite3.connect

        def tracing_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
            conn = connect(*args, **kwargs)  # type: ignore[arg-type,call-overload]

            def trace(_statement: str) -> None:
                nonlocal seen
                seen += 1
                if seen >= n:
                    os.kill(os.getpid(), signal.SIGKILL)

            conn.set_trace_callback(trace)
            return conn

        sqlite3.connect = tracing_connect  # type: ignore[assignment]
        return fn()

    return run
