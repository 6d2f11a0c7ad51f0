"""Backups that are whole and checked, made every day on their own, and told about when they stop.

A maker who loses the Pi's SD card must not lose years of traceability records. `backup` makes
a consistent copy while stations work (SQLite's online backup API, `tui.store.sqlite_copy`),
checks it page by page before it reports, and writes a `backup` event: the age of the last good
backup (`backup_status`) is read from there, so the Home screen can warn when backups stopped
(a USB stick left out). On PostgreSQL it is `pg_dump` when installed (custom format, listed
again with `pg_restore --list` before it counts), else the JSON export (read back whole).

`daily` is what the App and every command run at start when `[backup] dir` is set: nothing if
the folder already holds one of today's, else a backup there and the oldest beyond `keep`
deleted. `tui.services.restore` is the way back.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tui.config import BackupConfig, default_db_path
from tui.errors import StoreError
from tui.store import sqlite_copy
from tui.store.db import writing
from tui.store.models import Event, Lot
from tui.store.targets import is_postgres, postgres_target

EVENT = "backup"
"""Event kind of a good backup; its message is where it was written."""
STAMP = "%Y%m%d-%H%M%S"
NAMED = re.compile(r"^lotkeeper-(\d{8})-(\d{6})\.(db|json|dump)$")
"""The backups `rotate` may delete: ours by name, nothing else in the folder."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    lots: int
    method: str
    """How it was made: `sqlite online backup`, `pg_dump` or `JSON export`."""

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "bytes": self.bytes, "lots": self.lots}


@dataclass(frozen=True)
class BackupStatus:
    last: datetime | None
    """When the last good backup was made (None: never)."""
    path: str
    age_days: float | None
    warn: bool
    """Older than `[backup] warn_after_days` (or none at all while automatic backups are set up)."""

    @property
    def message(self) -> str:
        if self.last is None or self.age_days is None:
            return "no backup made yet: run `lotkeeper backup` (or check [backup] dir)"
        return f"last good backup {self.age_days:.0f} day(s) ago ({self.path}): is the backup drive there?"


def backup_dir(config: BackupConfig) -> Path:
    """Where automatic backups go, and `lotkeeper backup` without a destination."""
    return Path(config.dir).expanduser() if config.dir else default_db_path().parent / "backups"


def _destination(dest: Path | None, config: BackupConfig, now: datetime, suffix: str) -> Path:
    name = f"lotkeeper-{now.astimezone().strftime(STAMP)}{suffix}"
    folder = backup_dir(config) if dest is None else dest
    if dest is None or dest.is_dir():
        try:
            folder.mkdir(parents=dest is None and not config.dir, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot use the backup folder {folder} ({exc.strerror or exc}): is the drive plugged in?"
            ) from exc
        return folder / name
    if dest.exists():
        raise StoreError(f"{dest} already exists: give a new file name or a folder")
    if not dest.parent.is_dir():
        raise StoreError(f"the folder {dest.parent} does not exist: is the drive plugged in?")
    return dest


async def backup(
    target: str, dest: Path | None, config: BackupConfig, now: datetime | None = None
) -> BackupResult:
    """A checked backup of the open store `target` at `dest` (a file or a folder; None: the
    backup folder), recorded as a `backup` event."""
    when = now or datetime.now(UTC)
    if is_postgres(target):
        result = await _postgres(target, dest, config, when)
    else:
        path = _destination(dest, config, when, ".db")
        facts = await asyncio.to_thread(sqlite_copy.online_copy, Path(target).expanduser(), path)
        result = BackupResult(path=path, bytes=facts.bytes, lots=facts.lots, method="sqlite online backup")
    async with writing():
        await Event.create(kind=EVENT, message=str(result.path.resolve()), at=when)
    return result


async def _postgres(target: str, dest: Path | None, config: BackupConfig, when: datetime) -> BackupResult:
    if shutil.which("pg_dump") and shutil.which("pg_restore"):
        path = _destination(dest, config, when, ".dump")
        await _pg_dump(target, path)
        lots = await Lot.all().count()
        return BackupResult(path=path, bytes=path.stat().st_size, lots=lots, method="pg_dump")
    from tui.services.export import export_json  # here: Home reads `backup_status` at every start
    from tui.services.export_file import read_export

    path = _destination(dest, config, when, ".json")
    written = await export_json(path)
    if read_export(path).count().get("lot", 0) != written.lots:  # read back whole before it counts
        path.unlink(missing_ok=True)
        raise StoreError(f"the export {path} did not read back whole: nothing was kept")
    return BackupResult(path=path, bytes=written.bytes, lots=written.lots, method="JSON export")


async def _run(*argv: str, env: dict[str, str]) -> str:
    process = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=env
    )
    _, err = await process.communicate()
    if process.returncode == 0:
        return ""
    return err.decode(errors="replace").strip() or f"exit {process.returncode}"


async def _pg_dump(target: str, path: Path) -> None:
    """pg_dump in its custom format, listed again by pg_restore before it counts; the password
    goes through the environment, never the command line (`ps` shows that)."""
    url = urlsplit(postgres_target(target).url)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = url.password
    host = url.netloc.rsplit("@", 1)[-1]
    user = f"{url.username}@" if url.username else ""
    plain = urlunsplit(url._replace(scheme="postgresql", netloc=user + host))
    partial = path.with_name(path.name + ".partial")
    try:
        failed = await _run("pg_dump", "--format=custom", f"--file={partial}", f"--dbname={plain}", env=env)
        if not failed:
            failed = await _run("pg_restore", "--list", str(partial), env=env)
        if failed:
            raise StoreError(f"pg_dump could not back up the store ({failed}): nothing was kept")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete our backups in `folder` beyond the newest `keep`; the ones deleted."""
    ours = sorted((p for p in folder.iterdir() if NAMED.match(p.name)), key=lambda p: p.name, reverse=True)
    gone = ours[keep:]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def has_backup_of(folder: Path, day: date) -> bool:
    stamp = day.strftime("%Y%m%d")
    return folder.is_dir() and any(
        (m := NAMED.match(p.name)) is not None and m.group(1) == stamp for p in folder.iterdir()
    )


async def daily(target: str, config: BackupConfig, now: datetime | None = None) -> BackupResult | None:
    """Today's automatic backup, when `[backup] dir` is set and the folder has none of today's yet."""
    if not config.dir:
        return None
    when = now or datetime.now(UTC)
    folder = backup_dir(config)
    if has_backup_of(folder, when.astimezone().date()):
        return None
    result = await backup(target, None, config, when)
    await asyncio.to_thread(rotate, folder, config.keep)
    return result


async def backup_status(config: BackupConfig, now: datetime | None = None) -> BackupStatus:
    """The last good backup and whether Home should warn about its age."""
    last = await Event.filter(kind=EVENT).order_by("-at", "-id").first()
    expected = bool(config.dir) or last is not None
    if last is None:
        return BackupStatus(last=None, path="", age_days=None, warn=expected and config.warn_after_days > 0)
    at = last.at if last.at.tzinfo else last.at.replace(tzinfo=UTC)
    age = ((now or datetime.now(UTC)) - at).total_seconds() / 86400
    warn = config.warn_after_days > 0 and age > config.warn_after_days
    return BackupStatus(last=at, path=last.message, age_days=age, warn=warn)
