"""0006_print_lease upgrades a store at 0005 on SQLite and PostgreSQL: every label job kept as it
was, the new columns (station, lease, heartbeat) empty, a job left SENDING by the old version
recovered by the old rule (a process with its printer), and new jobs carrying station and lease.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate

from tui.config import CodesConfig, PrinterConfig
from tui.devices.printers import make_printer
from tui.services.label_data import label_request
from tui.services.printing import INTERRUPTED, PrintService
from tui.store.db import is_postgres, open_store, tortoise_config
from tui.store.models import JobStatus, LabelJob

BEFORE = "models.0005_label_profiles"
PG_ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
AT = datetime(2026, 11, 5, 9, tzinfo=UTC)
COLUMNS = "id printer template template_version payload copies status attempts last_error created_at"
JOBS: list[tuple[Any, ...]] = [
    (1, "bench", "material", 3, '{"size": "62"}', 2, "sent", 1, None, AT),
    (2, "bench", "material", 3, '{"size": "62"}', 1, "sending", 1, None, AT),
    (3, "packing", "batch", 2, '{"size": "62x29"}', 1, "sending", 1, None, AT),
    (4, "bench", "commands", 1, "{}", 1, "failed", 2, "printer stopped", AT),
]
NEW = ("station", "sender_host", "sender_pid", "sender_start", "heartbeat_at")


async def _run(target: str, sql: str, rows: list[tuple[Any, ...]] | None = None) -> list[tuple[Any, ...]]:
    """`sql` for each of `rows`, or its result when there are none: on a connection of its own."""
    if not is_postgres(target):
        db = sqlite3.connect(target)
        try:
            values = [
                tuple(v.isoformat(" ") if isinstance(v, datetime) else v for v in r) for r in rows or []
            ]
            if values:
                db.executemany(sql, values)
                db.commit()
                return []
            return [tuple(r) for r in db.execute(sql).fetchall()]
        finally:
            db.close()
    conn = await asyncpg.connect(target)
    try:
        if rows:
            marks = sql.replace("?", "{}").format(*(f"${i}" for i in range(1, sql.count("?") + 1)))
            await conn.executemany(marks, rows)
            await conn.execute("SELECT setval(pg_get_serial_sequence('label_job', 'id'), 4)")
            return []
        return [tuple(r) for r in await conn.fetch(sql)]
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database at schema 0004 holding `JOBS`."""
    insert = f"INSERT INTO label_job ({', '.join(COLUMNS.split())}) VALUES ({', '.join('?' * 10)})"
    if request.param == "sqlite":
        target = str(tmp_path / "before-lease.db")
        async with TortoiseContext():
            await migrate(config=tortoise_config(target, foreign_keys=False), target=BEFORE)
        await _run(target, insert, JOBS)
        yield target
        return
    try:
        admin = await asyncpg.connect(PG_ADMIN, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        if os.environ.get("LOTKEEPER_REQUIRE_PG"):
            pytest.fail(f"no PostgreSQL server at {PG_ADMIN}: {exc}")
        pytest.skip(f"no PostgreSQL server at {PG_ADMIN} ({exc}): set LOTKEEPER_TEST_PG")
    name = f"lk_test_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    target = f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    try:
        async with TortoiseContext():
            await migrate(config=tortoise_config(target), target=BEFORE)
        await _run(target, insert, JOBS)
        yield target
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


async def test_upgrade_keeps_every_job_and_recovers_the_old_ones_by_printer(
    old_store: str, tmp_path: Path
) -> None:
    kept = "id, printer, template, template_version, copies, status, attempts, last_error"
    before = await _run(old_store, f"SELECT {kept} FROM label_job ORDER BY id")
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
    after = await _run(old_store, f"SELECT {kept} FROM label_job WHERE id <> 2 AND id <= 4 ORDER BY id")
    assert after == [r for r in before if r[0] != 2]
