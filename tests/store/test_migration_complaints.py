"""0007_complaints adds the complaint log to a store of the release before it (0006) and changes
nothing else: every old row is as it was, and a batch made before the upgrade takes a complaint.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from tests.support.databases import PostgresServer, dump
from tests.support.migrations import Rows, fetch, store_at
from tui.services.complaints import add_complaint, list_complaints
from tui.store.db import open_store

PREVIOUS = "models.0006_print_lease"
AT = datetime(2026, 3, 1, 10, tzinfo=UTC)
ROWS: list[Rows] = [
    (
        "product",
        "id name sku unit shelf_life_days created_at",
        [(1, "Lavender soap", "SOAP-LAV", "pcs", 365, AT)],
    ),
    ("customer", "id name email created_at", [(1, "Maria Santos", "maria@example.com", AT)]),
    (
        "lot",
        "id code kind product_id dated qty_milli on_hand_milli created_at",
        [(1, "SOAP260301-01", "batch", 1, date(2026, 3, 1), 10000, 10000, AT)],
    ),
]
DAY = date(2026, 3, 10)


def _data(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows but the migrations' own record."""
    return {t: rows for t, rows in dump(str(path)).items() if t != "tortoise_migrations"}


async def test_upgrade_on_sqlite_keeps_every_row_and_adds_the_log(tmp_path: Path) -> None:
    async with store_at(PREVIOUS, tmp_path / "old.db", ROWS) as target:
        before = _data(Path(target))
        assert "complaint" not in before
        async with open_store(target):
            added = await add_complaint(
                "SOAP260301-01", "Rash", customer="Maria Santos", serious=True, today=DAY
            )
            assert [c.id for c in await list_complaints(open_only=True)] == [added.id]
        after = _data(Path(target))
        assert len(after.pop("complaint")) == 1
        assert after == before
        logged = await fetch(
            target,
            "SELECT id, lot_id, customer_id, received_on, what, serious, action, closed_on FROM complaint",
        )
    assert logged == [(added.id, 1, 1, DAY.isoformat(), "Rash", 1, None, None)]


async def test_upgrade_on_postgresql_adds_the_log(postgres: PostgresServer) -> None:
    async with store_at(PREVIOUS, postgres, ROWS) as url, open_store(url):
        added = await add_complaint("SOAP260301-01", "Rash", serious=True, today=DAY)
        [view] = await list_complaints()
        assert (view.id, view.lot, view.item, view.is_open) == (
            added.id,
            "SOAP260301-01",
            "SOAP-LAV",
            True,
        )
