"""Putting a backup back: checked whole before anything is replaced, the replaced store kept.

A backup file is checked in every way there is before the store is touched: it must be a SQLite
file holding a Lotkeeper store, every page must pass `integrity_check`, its schema must be one
this Lotkeeper knows (an older one is upgraded, on a copy), and the self-check (`check`) must
find nothing. Only then is the current store copied beside itself (`NAME-replaced-STAMP.db`) and
the backup written into it with SQLite's backup API. A damaged or foreign file changes nothing.

An export (`.json`) is restored into an empty store instead (`tui.services.export`): that is how
a store moves to PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tui.errors import StoreError
from tui.services.backup import STAMP
from tui.store import sqlite_copy, sqlite_file
from tui.store.db import open_store
from tui.store.integrity import check


@dataclass(frozen=True)
class Restored:
    path: Path
    """The store that now holds the backup."""
    replaced: Path | None
    """Where the store it replaced was kept (None: there was none)."""
    lots: int


def _target_state(target: Path) -> sqlite_file.FileState | None:
    """The store about to be replaced; None when it is damaged (then it is moved aside whole)."""
    try:
        return sqlite_file.inspect(target)
    except sqlite_file.DamagedStore:
        return None


async def _checked_copy(source: Path, temp: Path) -> sqlite_copy.FileFacts:
    """The backup copied beside the store, opened (upgraded if older) and self-checked."""
    try:
        sqlite_copy.check_file(source)
    except StoreError as exc:
        refused = f"the backup {source} was refused: nothing was changed"
        raise StoreError(f"{exc.message.rstrip('.')} ({refused})") from exc
    facts = await asyncio.to_thread(sqlite_copy.online_copy, source, temp)
    async with open_store(str(temp), create=False):
        report = await check()
    if not report.ok:
        raise StoreError(
            f"the backup {source} does not hold a consistent store ({report.problems[0]}): "
            "nothing was changed"
        )
    return facts


async def _keep_aside(target: Path, replaced: Path, *, damaged: bool) -> None:
    """The store about to be replaced, kept beside it: a consistent copy, or a damaged file as it is."""
    if not damaged:
        try:
            await asyncio.to_thread(sqlite_copy.online_copy, target, replaced)
            return
        except sqlite_file.DamagedStore:
            pass
    sqlite_copy.move_aside(target, replaced)  # byte for byte, write-ahead log included


async def restore_file(
    source: Path, target: Path, confirm: Callable[[Path], bool], now: datetime | None = None
) -> Restored:
    """Replace the SQLite store `target` with the backup `source` once it passed every check.

    `confirm(target)` is asked (after the checks) when a store is about to be replaced.
    """
    source = source.expanduser()
    if not source.is_file():
        raise StoreError(f"there is no file {source}: nothing was changed")
    state = _target_state(target)  # a foreign file at the target raises here: never overwritten
    stamp = (now or datetime.now(UTC)).astimezone().strftime(STAMP)
    temp = target.with_name(f".{target.name}.restoring")
    sqlite_copy.remove(temp)
    try:
        facts = await _checked_copy(source, temp)
        replaced: Path | None = None
        if state not in (sqlite_file.FileState.MISSING, sqlite_file.FileState.EMPTY):
            if not confirm(target):
                raise StoreError("restore not confirmed: nothing was changed")
            replaced = target.with_name(f"{target.stem}-replaced-{stamp}{target.suffix or '.db'}")
            await _keep_aside(target, replaced, damaged=state is None)
        await asyncio.to_thread(sqlite_copy.copy_into, temp, target)
    finally:
        sqlite_copy.remove(temp)
    return Restored(path=target, replaced=replaced, lots=facts.lots)
