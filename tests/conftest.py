"""Fixtures shared by the store and CLI tests: a real SQLite file per test, opened and migrated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tui.config import CodesConfig
from tui.store.db import Store, open_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lots.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with open_store(str(db_path)) as opened:
        yield opened


@pytest.fixture
def codes() -> CodesConfig:
    return CodesConfig()
