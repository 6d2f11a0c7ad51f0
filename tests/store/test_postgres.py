"""A shared workshop server gives the same answers as a Pi's file.

Every store and services test runs on both backends (tests/conftest.py); this one compares them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tui.services.demo import seed_demo
from tui.services.tracing import trace
from tui.store.db import Store, open_store

TODAY = date(2026, 6, 15)


async def test_demo_trace_is_identical_on_postgresql_and_sqlite(pg_store: Store, tmp_path: Path) -> None:
    summary = await seed_demo(today=TODAY)
    on_postgres = (await trace(summary.example_lot)).to_json()
    order_on_postgres = (await trace("WS-1002")).to_json()
    assert len(on_postgres["customers"]) == 4
    assert {c["kind"] for c in on_postgres["forward"]["children"]} == {"batch"}

    async with open_store(str(tmp_path / "same.db")):
        await seed_demo(today=TODAY)
        assert (await trace(summary.example_lot)).to_json() == on_postgres
        assert (await trace("WS-1002")).to_json() == order_on_postgres
