"""What the print-queue campaign (printqueue.py) stands on: the stations' config, the seeded lots,
the raster bytes each job makes, reads of its own, and the forked commands' identities."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

TIMEOUT_S = 1.0
"""The printer's timeout in the config: a hanging printer costs a sender this long."""


def write_config(path: Path, uri: str, station: str) -> Path:
    path.write_text(
        f"[store]\nstation = '{station}'\n"
        "[[printers]]\nname = 'bench'\nkind = 'brother'\n"
        f"uri = '{uri}'\nmodel = 'QL-820NWB'\nlabel = '62'\ntimeout_s = {TIMEOUT_S}\n"
        "snmp_community = ''\n[labels]\nrequire_clock_sync = false\n"
    )
    return path


async def seed_lots(target: str, lots: int) -> list[str]:
    from tui.services import catalog, inventory
    from tui.store.db import open_store

    async with open_store(target):
        await catalog.add_supplier("Oliveto")
        await catalog.add_material("Olive oil", "kg")
        return [
            (await inventory.receive("Olive oil", "1", supplier="Oliveto", received="2026-11-05")).lot
            for _ in range(lots)
        ]


async def rasters(target: str) -> dict[str, int]:
    """sha256 of the bytes each job makes on a QL-820NWB -> the job's id."""
    from tui.config import PrinterConfig
    from tui.devices.printers import BrotherPrinter
    from tui.services.printing.sender import stored_label
    from tui.store.db import open_store
    from tui.store.models import LabelJob

    printer = BrotherPrinter(PrinterConfig(name="bench", kind="brother", uri="tcp://127.0.0.1:9"))
    async with open_store(target, create=False):
        return {
            hashlib.sha256(printer.raster(stored_label(row), row.copies).data).hexdigest(): row.id
            for row in await LabelJob.all()
        }


async def pg_rows(url: str, sql: str, *args: Any) -> list[Any]:
    conn = await asyncpg.connect(url, timeout=5)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


def start_ticks(pid: int) -> str:
    """When process `pid` started, in clock ticks since boot (what its lease records)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()[19]


def has_ended(pid: int) -> bool:
    """Has child `pid` exited? (Not reaped: `collect` still waits for it.)"""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


@dataclass(frozen=True)
class Command:
    """A forked command, known by its process id and start time (pids are reused)."""

    what: str
    lot: str
    """The lot whose job it was asked to send."""
    killed: bool


def json_child(make: Callable[[], Any]) -> Callable[[], int]:
    def run() -> int:
        print(json.dumps(make()))
        return 0

    return run


def delayed(delay: float, fn: Callable[[], int | None]) -> Callable[[], int | None]:
    def run() -> int | None:
        time.sleep(delay)
        return fn()

    return run


def warm() -> None:
    """Pillow, brother_ql and the fonts loaded once here, so a forked sender spends its time in
    the send rather than in imports (forking needs a process without threads: these start none)."""
    from datetime import date

    import tui.cli.printing  # noqa: F401  (the label and queue commands, loaded on first use)
    from tui.devices.printers import brother
    from tui.labels import MaterialLotData, label_size, render

    label = render(
        "material", MaterialLotData("M261105-001", "Olive oil", date(2026, 11, 5)), label_size("62")
    )
    brother.raster_job(label, brother.brother_model("QL-820NWB"), 1)
