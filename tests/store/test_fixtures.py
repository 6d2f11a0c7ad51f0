"""The test databases of tests/support/databases.py: every store test trusts these."""

from __future__ import annotations

import asyncpg

from tests.support.databases import Databases, dump
from tui.services import catalog
from tui.store.db import Store, open_store
from tui.store.models import Supplier


async def test_dump_sees_what_was_committed(store: Store) -> None:
    """So that "nothing was written" checks can fail, on both backends."""
    before = dump(store.target)
    assert before["supplier"] == []
    await catalog.add_supplier("Acme Oils")
    after = dump(store.target)
    assert [row[1:2] for row in after["supplier"]] == [("Acme Oils",)]
    assert {t: rows for t, rows in after.items() if t != "supplier"} == {
        t: rows for t, rows in before.items() if t != "supplier"
    }


async def test_a_database_given_back_is_the_template_again(pg_databases: Databases) -> None:
    url = pg_databases.take()
    async with open_store(url):
        empty = dump(url)
        await catalog.add_supplier("Acme Oils")
        await catalog.add_supplier("Scent Co")
    pg_databases.give_back(url)

    again = pg_databases.take()
    try:
        assert again == url  # reused, not copied anew
        assert dump(again) == empty
        async with open_store(again):
            await catalog.add_supplier("Chem Supply")
            assert [s.id for s in await Supplier.all()] == [1]  # sequences start over too
    finally:
        pg_databases.give_back(again)


async def test_a_database_left_locked_is_dropped_not_reused(pg_databases: Databases) -> None:
    url = pg_databases.take()
    holder = await asyncpg.connect(url)
    await holder.execute("BEGIN; LOCK TABLE supplier")  # a transaction a test forgot to end
    try:
        pg_databases.give_back(url)
    finally:
        holder.terminate()
    admin = await asyncpg.connect(pg_databases.server.admin)
    try:
        assert not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", url.rsplit("/", 1)[1])
    finally:
        await admin.close()
    fresh = pg_databases.take()
    pg_databases.give_back(fresh)
    assert fresh != url
