"""The backup service: rotation keeps N, one automatic backup a day, the age Home warns about,
and PostgreSQL backups (pg_dump when installed, else the JSON export)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.config import BackupConfig
from tui.errors import StoreError
from tui.services import catalog
from tui.services.backup import backup, backup_status, daily, rotate
from tui.services.export_file import read_export
from tui.store.db import Store
from tui.store.models import Event

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.sqlite_only("rotation works on backup files of a SQLite store")
async def test_rotation_keeps_the_newest_n_and_nothing_else(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    mine = folder / "notes.txt"
    mine.write_text("the maker's own file")
    config = BackupConfig(dir=str(folder), keep=3)
    made = []
    for day in range(5):
        result = await daily(store.target, config, NOON + timedelta(days=day))
        assert result is not None
        made.append(result.path.name)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([*made[-3:], "notes.txt"])
    assert rotate(folder, 1) == [folder / made[-2], folder / made[-3]]


@pytest.mark.sqlite_only("the daily backup of a SQLite store")
async def test_one_automatic_backup_a_day_and_none_without_a_folder(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    config = BackupConfig(dir=str(folder))
    assert await daily(store.target, BackupConfig(), NOON) is None  # not set up: nothing made
    first = await daily(store.target, config, NOON)
    assert first is not None and first.method == "sqlite online backup"
    assert await daily(store.target, config, NOON + timedelta(hours=3)) is None
    assert await daily(store.target, config, NOON + timedelta(days=1)) is not None
    assert len(list(folder.glob("lotkeeper-*.db"))) == 2


async def test_backup_status_tells_the_age_of_the_last_good_backup(store: Store, tmp_path: Path) -> None:
    config = BackupConfig(dir=str(tmp_path), warn_after_days=2)
    never = await backup_status(config, NOON)
    assert never.warn and never.last is None and "no backup made yet" in never.message
    assert not (await backup_status(BackupConfig(), NOON)).warn  # not set up, never made: quiet
    await Event.create(
        kind="backup", message="/media/stick/lotkeeper-20260226-120000.db", at=NOON - timedelta(days=3)
    )
    old = await backup_status(config, NOON)
    assert old.warn and old.path.endswith("20260226-120000.db")
    assert "3 day(s) ago" in old.message
    await Event.create(kind="backup", message="/media/stick/new.db", at=NOON - timedelta(hours=5))
    fresh = await backup_status(config, NOON)
    assert not fresh.warn and fresh.path == "/media/stick/new.db"
    assert not (await backup_status(BackupConfig(dir=str(tmp_path), warn_after_days=0), NOON)).warn


async def test_a_manual_backup_is_recorded_and_refuses_to_overwrite(store: Store, tmp_path: Path) -> None:
    await catalog.add_supplier("Acme Oils")
    made = await backup(store.target, tmp_path, BackupConfig(), NOON)
    assert made.path.parent == tmp_path and made.path.stat().st_size == made.bytes
    status = await backup_status(BackupConfig(), NOON + timedelta(minutes=1))
    assert status.path == str(made.path.resolve()) and not status.warn
    with pytest.raises(StoreError, match="already exists"):
        await backup(store.target, made.path, BackupConfig(), NOON)


async def test_postgres_backup_with_pg_dump_or_the_json_export(
    pg_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await catalog.add_supplier("Acme Oils")
    if shutil.which("pg_dump"):
        dumped = await backup(pg_store.target, tmp_path, BackupConfig(), NOON)
        assert dumped.method == "pg_dump" and dumped.path.suffix == ".dump"
        assert dumped.path.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # as on a machine without pg_dump
    exported = await backup(pg_store.target, tmp_path, BackupConfig(), NOON + timedelta(seconds=1))
    assert exported.method == "JSON export" and exported.path.suffix == ".json"
    assert json.loads(exported.path.read_bytes())["tables"]["supplier"]["rows"][0][1] == "Acme Oils"
    assert read_export(exported.path).count()["supplier"] == 1 and exported.lots == 0
