"""0006_print_lease upgrades a store at 0005 on SQLite and PostgreSQL: every label job kept as it
was, the new columns (station, lease, heartbeat) empty, a job left SENDING by the old version
recovered by the old rule (a process with its printer), and new jobs carrying station and lease.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.migrations import Rows, Scratch, fetch, store_at
from tui.config import CodesConfig, PrinterConfig
from tui.devices.printers import make_printer
from tui.services.label_data import label_request
from tui.services.printing import INTERRUPTED, PrintService
from tui.store.db import open_store
from tui.store.models import JobStatus, LabelJob

BEFORE = "models.0005_label_profiles"
AT = datetime(2026, 11, 5, 9, tzinfo=UTC)
COLUMNS = "id printer template template_version payload copies status attempts last_error created_at"
JOBS: list[tuple[Any, ...]] = [
    (1, "bench", "material", 3, '{"size": "62"}', 2, "sent", 1, None, AT),
    (2, "bench", "material", 3, '{"size": "62"}', 1, "sending", 1, None, AT),
    (3, "packing", "batch", 2, '{"size": "62x29"}', 1, "sending", 1, None, AT),
    (4, "bench", "commands", 1, "{}", 1, "failed", 2, "printer stopped", AT),
]
ROWS: list[Rows] = [("label_job", COLUMNS, JOBS)]
NEW = ("station", "sender_host", "sender_pid", "sender_start", "heartbeat_at")


@pytest.fixture
async def old_store(scratch: Scratch) -> AsyncIterator[str]:
    """A database at schema 0005 holding `JOBS`."""
    async with store_at(BEFORE, scratch, ROWS) as target:
        yield target


async def test_upgrade_keeps_every_job_and_recovers_the_old_ones_by_printer(
    old_store: str, tmp_path: Path
) -> None:
    kept = "id, printer, template, template_version, copies, status, attempts, last_error"
    before = await fetch(old_store, f"SELECT {kept} FROM label_job ORDER BY id")
    async with open_store(old_store):
        rows = await LabelJob.all().order_by("id")
        assert [tuple(getattr(r, c) for c in NEW) for r in rows] == [(None,) * len(NEW)] * len(JOBS)
        bench = make_printer(PrinterConfig(name="bench", kind="file", uri=str(tmp_path / "out")))
        queue = PrintService([bench], station="bench")
        assert await queue.recover() == [2]  # packing's job is not this station's printer
        assert (await queue.job(2)).last_error == INTERRUPTED
        assert (await queue.job(3)).status == JobStatus.SENDING
        name, data, _ = await label_request(None, "commands", CodesConfig())
        new = await queue.enqueue(name, data)
        [sent] = await queue.process_once()
        row = await LabelJob.get(id=new.id)
        assert (sent.id, sent.status, row.station, row.sender_pid) == (
            5,
            JobStatus.SENT,
            "bench",
            os.getpid(),
        )
    after = await fetch(old_store, f"SELECT {kept} FROM label_job WHERE id <> 2 AND id <= 4 ORDER BY id")
    assert after == [r for r in before if r[0] != 2]
