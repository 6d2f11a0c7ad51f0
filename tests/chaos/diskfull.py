"""A full disk: every change is refused in one sentence, nothing is lost, work resumes with space.

The store lives on a small tmpfs (mounted here when the campaign runs as root), filled to the
last byte by a filler file; without mount rights each command instead runs under a file-size
limit (RLIMIT_FSIZE, SIGXFSZ ignored), which SQLite meets as a failed write. Then the filler
goes (or the limit is lifted) and the same changes must work.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .forking import Outcome, cli, fork_call
from .stores import (
    CampaignFailure,
    Workdir,
    change_commands,
    check_passes,
    delta,
    fingerprint,
    seeded_store,
    sqlite_fingerprint,
)

TMPFS_SIZE = "8m"
RLIMIT_BYTES = 32768
"""Without a tmpfs: room for SQLite's shared-memory file, not for a change in the WAL."""


@dataclass
class DiskFullFigures:
    mode: str = ""
    attempts: int = 0
    refused: int = 0
    """Changes refused with the disk-full sentence (exit 2, one line, nothing written)."""
    fitted: int = 0
    """Changes that still fitted (space freed inside the files themselves): whole, as always."""
    resumed: int = 0
    """Changes that worked once space came back."""
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        counts = f"{self.attempts} changes, refused {self.refused}, fitted {self.fitted}"
        after = f"resumed after space came back {self.resumed}, failures {len(self.failures)}"
        return f"disk full ({self.mode}): {counts}, {after}"


@contextlib.contextmanager
def _tmpfs(folder: Path) -> Iterator[bool]:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (65536, 4096, 1):  # down to the last byte
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    return filler


def _limited(run: Callable[[], int | None], limit: int) -> Callable[[], int | None]:
    def limited() -> int | None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        return run()

    return limited


def _settle(target: str) -> None:
    """Fold the WAL into the file, so every change has to grow a file."""
    with closing(sqlite3.connect(target)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _judge(figures: DiskFullFigures, kind: str, done: Outcome, moved: dict[str, int] | None) -> None:
    figures.attempts += 1
    if done.code == 2 and done.err.count("\n") == 1 and "is full" in done.err:
        figures.refused += 1
        if moved:
            figures.failures.append(f"{kind} refused but changed {moved}")
    elif done.code == 0:
        figures.fitted += 1
    else:
        figures.failures.append(f"{kind}: exit {done.code}: {(done.out + done.err).strip()[-300:]}")


def _named(kind: str, argv: list[str], suffix: str) -> list[str]:
    """Additions get a new name each time (a second one would be a duplicate, not a full disk)."""
    return [*argv[:-1], f"{argv[-1]} {suffix}"] if kind.endswith(" add") else argv


def disk_full(work: Workdir, rounds: int) -> DiskFullFigures:
    """Changes while the app has the store open (its files exist), then every command on a store
    nobody has open (even reading needs a few KB for SQLite's shared-memory file), then again
    with space."""
    figures = DiskFullFigures()
    folder = work.root / "small-disk"
    with _tmpfs(folder) as mounted:
        figures.mode = f"tmpfs of {TMPFS_SIZE}" if mounted else f"RLIMIT_FSIZE of {RLIMIT_BYTES} bytes"
        target = str(folder / "store.db")
        commands = change_commands(seeded_store(work, at=target)[1])
        commands["supplier add"] = ["supplier", "add", "Supplier added on a full disk"]
        commands["customer add"] = ["customer", "add", "Customer added on a full disk"]
        _settle(target)
        keeper = sqlite3.connect(target)  # the running app's connection: -wal and -shm stay
        before = sqlite_fingerprint(keeper)
        filler = _fill(folder) if mounted else None
        for round_ in range(rounds):
            for kind, argv in commands.items():
                start = sqlite_fingerprint(keeper)
                run = cli(work.lk(target, *_named(kind, argv, str(round_))))
                done = fork_call(run if mounted else _limited(run, RLIMIT_BYTES))
                _judge(figures, kind, done, delta(start, sqlite_fingerprint(keeper)))
        keeper.close()
        if mounted:
            for kind, argv in {**commands, "stock": ["stock"], "check": ["check"]}.items():
                _judge(
                    figures, f"{kind} (store closed)", work.run(target, *_named(kind, argv, "closed")), None
                )
        if filler is not None:
            filler.unlink()
        if figures.fitted == 0 and delta(before, fingerprint(target)):
            figures.failures.append(
                f"every change was refused, yet the store changed: {delta(before, fingerprint(target))}"
            )
        try:
            check_passes(work, target)
        except CampaignFailure as exc:
            figures.failures.append(f"after the disk was full: {exc}")
        for kind, argv in commands.items():
            done = work.run(target, *_named(kind, argv, "later"))
            if done.code == 0:
                figures.resumed += 1
            else:
                figures.failures.append(
                    f"{kind} with space again: exit {done.code}: {done.err.strip()[-300:]}"
                )
        try:
            check_passes(work, target)
        except CampaignFailure as exc:
            figures.failures.append(f"after space came back: {exc}")
    return figures
