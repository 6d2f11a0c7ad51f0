"""Damaged and wrong files: every command answers within a second, in one sentence, never hangs.

Each kind of damage is applied to a copy of a seeded store (its WAL folded in, so the main file
holds every page). Every command is then run in a forked child with a deadline: it must finish
in time, never print a traceback, and either work (damage it never reads) or say `error:` in
one line. `lotkeeper check` must report every kind of damage.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from .forking import cli, fork_call
from .stores import Workdir, seeded_store

DEADLINE_S = 1.0
"""A command on a damaged store answers within this (it is forked: no interpreter start)."""


def _page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def _overwrite_page(
    index: Callable[[int], int], fill: Callable[[int], bytes]
) -> Callable[[bytearray], bytearray]:
    def damage(data: bytearray) -> bytearray:
        size = _page_size(bytes(data))
        pages = len(data) // size
        start = index(pages) * size
        data[start : start + size] = fill(size)
        return data

    return damage


DAMAGE: dict[str, Callable[[bytearray], bytearray]] = {
    "text file": lambda data: bytearray(b"hello\n"),
    "truncated to half": lambda data: data[: len(data) // 2],
    "truncated to 1 KB": lambda data: data[:1024],
    "garbage in page 1": lambda data: (
        data[:100] + bytearray(os.urandom(_page_size(bytes(data)) - 100)) + data[_page_size(bytes(data)) :]
    ),
    "garbage header": lambda data: data[:16] + bytearray(os.urandom(84)) + data[100:],
    "all zeros": lambda data: bytearray(len(data)),
    "garbage over the last page": _overwrite_page(lambda pages: pages - 1, os.urandom),
    "garbage over a middle page": _overwrite_page(lambda pages: pages // 2, os.urandom),
    "zeros over a middle page": _overwrite_page(lambda pages: pages // 2, bytes),
    "random bytes everywhere": lambda data: bytearray(os.urandom(len(data))),
}


@dataclass
class DamageFigures:
    kinds: int = 0
    commands: int = 0
    slowest_s: float = 0.0
    worked: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"damage kinds {self.kinds}, commands {self.commands}: worked {self.worked}, refused in one line "
            f"{self.refused}, slowest {self.slowest_s * 1000:.0f} ms, failures {len(self.failures)}"
        )


def _commands(oil_lot: str, every: bool) -> list[list[str]]:
    """What is run on each damaged file (`every`: reads and writes of each kind)."""
    some = [["stock"], ["check"], ["supplier", "add", "New Supplier"]]
    if not every:
        return some
    return [
        *some,
        ["trace", oil_lot],
        ["receive", "Olive oil", "100", "--supplier", "Acme Oils"],
        ["adjust", oil_lot, "-1", "--reason", "damaged?"],
    ]


def _judge(
    figures: DamageFigures, kind: str, argv: list[str], code: int, seconds: float, out: str, err: str
) -> None:
    figures.commands += 1
    figures.slowest_s = max(figures.slowest_s, seconds)
    what = f"{kind}: lotkeeper {' '.join(argv)}"
    if seconds > DEADLINE_S:
        figures.failures.append(f"{what} took {seconds:.2f} s")
    if "Traceback" in out + err:
        figures.failures.append(f"{what} printed a traceback: {err.strip()[-300:]}")
        return
    if code == 0:
        figures.worked += 1
    elif (argv == ["check"] and code == 1 and "damaged" in err) or (
        code == 2 and err.startswith("error: ") and err.count("\n") == 1
    ):
        figures.refused += 1
    else:
        figures.failures.append(f"{what}: exit {code}: {(out + err).strip()[-300:]}")


def damage_campaign(work: Workdir, rounds: int = 1, *, every: bool = True) -> DamageFigures:
    """Every kind of damage `rounds` times (random bytes differ each time)."""
    figures = DamageFigures()
    pristine, seeded = seeded_store(work)
    with closing(sqlite3.connect(pristine)) as db:  # enough pages that a middle page holds rows
        db.executemany(
            "INSERT INTO customer (name, created_at) VALUES (?, '2026-01-01 00:00:00+00:00')",
            [(f"Customer {i:03d} " + "x" * 100,) for i in range(40)],
        )
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    clean = bytearray(Path(pristine).read_bytes())
    rng = random.Random(9)
    for round_ in range(rounds):
        for kind, damage in DAMAGE.items():
            figures.kinds += 1 if round_ == 0 else 0
            target = Path(work.root / f"damaged-{rng.randrange(10**9)}.db")
            target.write_bytes(bytes(damage(bytearray(clean))))
            reported = False
            for argv in _commands(seeded.oil_lot, every):
                done = fork_call(cli(work.lk(str(target), *argv)), timeout=30)
                _judge(figures, kind, argv, done.code, done.seconds, done.out, done.err)
                reported |= argv == ["check"] and done.code != 0
            if not reported:
                figures.failures.append(f"{kind}: `lotkeeper check` did not report it")
            for suffix in ("", "-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
    wal = work.root / "garbage-wal.db"
    shutil.copyfile(pristine, wal)
    Path(str(wal) + "-wal").write_bytes(os.urandom(64 * 1024))
    for argv in _commands(seeded.oil_lot, every):
        done = fork_call(cli(work.lk(str(wal), *argv)), timeout=30)
        _judge(figures, "garbage WAL file", argv, done.code, done.seconds, done.out, done.err)
    figures.kinds += 1
    return figures
