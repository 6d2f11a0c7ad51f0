"""Fixtures for App tests: a seeded demo store, an App factory, a pty scanner, a loopback printer.

The demo is seeded once per session with a frozen `today` (every lot date is relative to it)
and its clock columns are set to one fixed time, so snapshots look the same on any day; each
test gets its own copy of the file. `wait_for` polls a condition with a timeout instead of
sleeping.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.css.query import NoMatches
from textual.pilot import Pilot

from tests.support.databases import Dump, dump
from tests.support.printers import FakeTcpPrinter, closed_port
from tests.support.scales import FakeScale, fake_scales
from tui.app import LotkeeperApp
from tui.config import Config, PrinterConfig, ScannerConfig
from tui.context import AppContext
from tui.devices.printers import make_printer
from tui.services.demo import DemoSummary, seed_demo
from tui.services.printing import PrintService
from tui.store.db import open_store

TODAY = date(2026, 3, 1)
"""The frozen day of every App test: the demo's dates, alerts and snapshots hang on it."""
FIXED_TIME = "2026-03-01 09:30:00+00:00"
"""Every clock column of the seeded demo (movements, events, created_at) is set to this."""


@dataclass(frozen=True)
class Demo:
    path: Path
    summary: DemoSummary


def _freeze_clock_columns(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        for table, column in conn.execute(
            "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND p.name IN ('at', 'created_at')"
        ).fetchall():
            conn.execute(f'UPDATE "{table}" SET "{column}" = ?', (FIXED_TIME,))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    path = tmp_path_factory.mktemp("demo") / "demo.db"

    async def seed() -> DemoSummary:
        async with open_store(str(path)):
            return await seed_demo(today=TODAY)

    summary = asyncio.run(seed())
    _freeze_clock_columns(path)
    return Demo(path, summary)


@pytest.fixture
def demo(tmp_path: Path, demo_template: Demo) -> Demo:
    """This test's own copy of the seeded demo store."""
    path = tmp_path / "lots.db"
    shutil.copyfile(demo_template.path, path)
    return Demo(path, demo_template.summary)


@pytest.fixture
def db_dump(db_path: Path) -> Callable[[], Dump]:
    """The App's database file (the demo's copy unless a module moves `db_path`), before and after."""
    return lambda: dump(str(db_path))


@pytest.fixture
def make_app(demo: Demo, tmp_path: Path) -> Callable[..., LotkeeperApp]:
    """`make_app(**context_overrides)`: the App on the demo copy, no devices, today frozen."""

    def make(**overrides: Any) -> LotkeeperApp:
        ctx = AppContext(
            Config(),
            db=str(demo.path),
            today=TODAY,
            exports=tmp_path / "exports",
            clock_synced=lambda: True,
        )
        return LotkeeperApp(replace(ctx, **overrides))

    return make


@pytest.fixture
async def troubled_app(make_app: Callable[..., LotkeeperApp], demo: Demo, tmp_path: Path) -> LotkeeperApp:
    """The App with scanner `bench` on a port that is not there and printer `ql` refusing every
    connection, one label of the demo's example lot already waiting for it."""
    gone = ScannerConfig(name="bench", kind="serial", port=str(tmp_path / "no-such-tty"))
    dead = PrinterConfig(name="ql", kind="brother", uri=f"tcp://127.0.0.1:{closed_port()}", timeout_s=1)
    async with open_store(str(demo.path)):
        await PrintService([make_printer(dead)]).enqueue_lot_label(demo.summary.example_lot)
    return make_app(scanners=(gone,), printers=(dead,))


WaitFor = Callable[..., Any]


async def _wait_for(pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not _holds(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition.__doc__ or condition}")
        await pilot.pause(0.01)


def _holds(condition: Callable[[], object]) -> bool:
    try:
        return bool(condition())
    except NoMatches:  # the screen is not composed yet
        return False


@pytest.fixture
def wait_for() -> WaitFor:
    """`await wait_for(pilot, lambda: ..., timeout=5)`."""
    return _wait_for


@dataclass
class PtyScanner:
    """A serial scanner on a pseudo-terminal: `scan(text)` sends it as the scanner would."""

    config: ScannerConfig
    master: int

    def scan(self, text: str) -> None:
        os.write(self.master, text.encode() + self.config.terminator.encode())


@pytest.fixture
def pty_scanner() -> Iterator[PtyScanner]:
    master, slave = os.openpty()
    port = os.ttyname(slave)
    os.close(slave)
    try:
        yield PtyScanner(ScannerConfig(name="bench", kind="serial", port=port), master)
    finally:
        os.close(master)


@dataclass(frozen=True)
class FakePrinter:
    """A loopback TCP 'Brother QL' (tests/support/printers.py): the config that reaches it and the
    jobs it took whole."""

    config: PrinterConfig
    jobs: list[bytes]


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    fake = FakeTcpPrinter()
    try:
        yield FakePrinter(PrinterConfig(name="ql", kind="brother", uri=fake.uri, timeout_s=2), fake.jobs)
    finally:
        fake.close()


@pytest.fixture
def fake_scale() -> Iterator[type[FakeScale]]:
    """Make pty fake scales with `fake_scale(...)` (tests/support/scales.py); unplugged after the test."""
    yield from fake_scales()
