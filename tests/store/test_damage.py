"""Damage inside a store is found by `check`, and a bad page is a sentence, never a traceback.

4 KB of garbage over the last page used to pass `check` ("store is consistent") while writes
went on; SQLite's own integrity check now runs first.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.services import catalog
from tui.store.db import open_store
from tui.store.integrity import check


def _page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


async def _store_with_pages(path: Path) -> None:
    async with open_store(str(path)):
        for i in range(60):
            await catalog.add_customer(f"Customer {i:03d}", address="1 Long Street, Somewhere " * 5)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _garbage_over_page(path: Path, page: int) -> None:
    size = _page_size(path)
    with path.open("r+b") as file:
        file.seek(page * size)
        file.write(os.urandom(size))


@pytest.mark.parametrize("where", ["last", "middle"])
async def test_check_finds_garbage_over_a_page(tmp_path: Path, where: str) -> None:
    path = tmp_path / "lots.db"
    await _store_with_pages(path)
    pages = path.stat().st_size // _page_size(path)
    _garbage_over_page(path, pages - 1 if where == "last" else pages // 2)
    async with open_store(str(path)):
        report = await check()
    assert not report.ok
    [problem] = report.problems
    assert problem.startswith("the database file is damaged (") and "latest backup" in problem


def test_check_on_the_command_line_says_damaged_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "lots.db"
    asyncio.run(_store_with_pages(path))
    _garbage_over_page(path, path.stat().st_size // _page_size(path) - 1)
    result = CliRunner().invoke(main, ["--db", str(path), "check"])
    assert result.exit_code == 1
    assert "the database file is damaged" in result.stderr
    assert "Traceback" not in result.output


def test_a_command_that_reads_a_bad_page_says_so_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "lots.db"
    asyncio.run(_store_with_pages(path))
    for page in range(2, path.stat().st_size // _page_size(path)):
        _garbage_over_page(path, page)
    result = CliRunner().invoke(main, ["--db", str(path), "customer", "add", "Jo"])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: the store {path} is damaged (") and "backup" in line
