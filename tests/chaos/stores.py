"""Stores for the campaigns: fresh, seeded through the real CLI, or at the previous schema.

The previous-schema store is generated, not committed: every migration but the last is applied
with Tortoise's own migrate, then a workshop's worth of rows goes straight in with SQL written
for that schema. `fingerprint` is what "wholly in or wholly out" is checked against: row counts
and quantity sums that a change moves by a fixed amount.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg

from .forking import Outcome, cli, fork_call

ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
SERVER = ADMIN.rsplit("/", 1)[0]
MIGRATIONS = Path(__file__).resolve().parents[2] / "tui" / "store" / "migrations"
FINGERPRINT_SUMS = {
    "lot": "on_hand_milli",
    "movement": "delta_milli",
    "code_counter": "value",
    "consumption": "qty_milli",
    "sale_line": "qty_milli",
}


class CampaignFailure(AssertionError):
    """A campaign found what it exists to find: a store that did not survive."""


def is_pg(target: str) -> bool:
    return target.startswith("postgres://")


# PostgreSQL databases ------------------------------------------------------------------------


async def _admin(*statements: str) -> None:
    conn = await asyncpg.connect(ADMIN, timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def pg_available() -> str | None:
    """None when the server answers, else why not."""
    try:
        asyncio.run(_admin("SELECT 1"))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"no PostgreSQL at {ADMIN}: {exc}"
    return None


def pg_create(template: str | None = None) -> str:
    name = f"lk_test_{secrets.token_hex(6)}"
    copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
    asyncio.run(_admin(f'CREATE DATABASE "{name}"{copy}'))
    return f"{SERVER}/{name}"


def pg_drop(*urls: str) -> None:
    asyncio.run(_admin(*(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)' for url in urls)))


# Targets ------------------------------------------------------------------------------------


@dataclass
class Workdir:
    """A folder for one campaign: an empty config (no personal config is read) and new targets."""

    root: Path
    pg: bool = False
    made: list[str] | None = None

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.config = self.root / "config.toml"
        self.config.write_text("")
        self.made = []

    def new_target(self, template: str | None = None) -> str:
        """An empty target, or a copy of `template`."""
        assert self.made is not None
        if self.pg:
            url = pg_create(template)
            self.made.append(url)
            return url
        path = self.root / f"s{len(self.made)}-{secrets.token_hex(3)}.db"
        self.made.append(str(path))
        if template is not None:
            for suffix in ("", "-wal"):
                source = Path(template + suffix)
                if source.exists():
                    shutil.copyfile(source, str(path) + suffix)
        return str(path)

    def lk(self, target: str, *argv: str) -> list[str]:
        return ["--config", str(self.config), "--db", target, *argv]

    def run(self, target: str, *argv: str, kill_after: float | None = None) -> Outcome:
        return fork_call(cli(self.lk(target, *argv)), kill_after=kill_after)

    def must(self, target: str, *argv: str) -> str:
        done = self.run(target, *argv)
        if done.code != 0:
            raise CampaignFailure(f"lotkeeper {' '.join(argv)} failed ({done.code}): {done.err.strip()}")
        return done.out

    def cleanup(self) -> None:
        assert self.made is not None
        pgs = [t for t in self.made if is_pg(t)]
        if pgs:
            pg_drop(*pgs)
        shutil.rmtree(self.root, ignore_errors=True)


def check_passes(work: Workdir, target: str) -> None:
    """The store opens and `lotkeeper check` finds nothing wrong."""
    done = work.run(target, "check")
    if done.code != 0 or "store is consistent" not in done.out:
        raise CampaignFailure(
            f"check failed on {target} ({done.code}): {(done.out + done.err).strip()[:500]}"
        )


# Fingerprints -------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith("sqlite_")
    ]


def sqlite_fingerprint(db: sqlite3.Connection) -> dict[str, int]:
    """`fingerprint` over a connection kept open (on a full disk a new one cannot even start)."""
    with db:  # one read transaction: a consistent snapshot
        return {key: int(db.execute(sql).fetchone()[0]) for key, sql in _queries(_sqlite_tables(db))}


def _queries(tables: Iterable[str]) -> list[tuple[str, str]]:
    out = []
    for table in sorted(tables):
        out.append((f"{table}.rows", f'SELECT COUNT(*) FROM "{table}"'))
        if table in FINGERPRINT_SUMS:
            column = FINGERPRINT_SUMS[table]
            out.append((f"{table}.{column}", f'SELECT COALESCE(SUM("{column}"), 0) FROM "{table}"'))
    return out


async def _pg_fingerprint(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url, timeout=10)
    try:
        tables = [
            row[0]
            for row in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        return {key: int(await conn.fetchval(sql)) for key, sql in _queries(tables)}
    finally:
        await conn.close()


def fingerprint(target: str) -> dict[str, int]:
    """Row counts of every table and the sums a change moves: equal before and after = untouched."""
    if is_pg(target):
        return asyncio.run(_pg_fingerprint(target))
    if not Path(target).exists():
        return {}
    with closing(sqlite3.connect(target)) as db:
        return sqlite_fingerprint(db)


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        k: after.get(k, 0) - before.get(k, 0)
        for k in sorted(set(before) | set(after))
        if after.get(k, 0) != before.get(k, 0)
    }


# A seeded workshop (through the CLI) ------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    oil_lot: str
    batch: str


def seed(work: Workdir, target: str) -> Seeded:
    work.must(target, "supplier", "add", "Acme Oils")
    work.must(target, "customer", "add", "Jo Bloggs")
    work.must(target, "material", "add", "Olive oil", "--unit", "g")
    work.must(target, "product", "add", "Soap", "--sku", "SOAP", "--recipe", "Olive oil=100")
    oil = work.must(
        target, "receive", "Olive oil", "10000000", "--supplier", "Acme Oils", "--received", "2026-01-01"
    )
    batch = work.must(target, "make", "SOAP", "50000", "--made", "2026-01-02").split()[0]
    return Seeded(oil_lot=oil.strip(), batch=batch)


def change_commands(seeded: Seeded) -> dict[str, list[str]]:
    """One command per kind of change, each moving the fingerprint by the same amount every time."""
    return {
        "receive": ["receive", "Olive oil", "100", "--supplier", "Acme Oils", "--received", "2026-02-01"],
        "make": ["make", "SOAP", "1", "--use", f"{seeded.oil_lot}=100", "--made", "2026-02-02"],
        "sell": ["sell", "--customer", "Jo Bloggs", f"{seeded.batch}=1"],
        "adjust": ["adjust", seeded.oil_lot, "-1", "--reason", "chaos"],
    }


# The previous schema --------------------------------------------------------------------------


def migration_names() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS.glob("[0-9]*.py"))


def previous_migration() -> str:
    """The schema a store has before this version's last migration."""
    names = migration_names()
    if len(names) < 2:
        raise CampaignFailure("there is no previous schema: only one migration")
    return names[-2]


def _migrate_to_previous(target: str) -> None:
    from tortoise.context import TortoiseContext
    from tortoise.migrations.api import migrate

    from tui.store.db import tortoise_config

    async def go() -> None:
        async with TortoiseContext():
            await migrate(
                config=tortoise_config(target, foreign_keys=False), target=f"models.{previous_migration()}"
            )

    asyncio.run(go())


NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
DAY = date(2026, 3, 1)


def _old_rows(
    products: int = 800, lots: int = 2000, sales: int = 300
) -> dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]]:
    """Rows for the 0001 schema: a workshop with history, every reference valid."""
    materials, suppliers, customers = 50, 20, 500
    batches = products // 2
    rows: dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]] = {
        "station": (("id", "name"), [(1, "bench")]),
        "supplier": (
            ("id", "name", "created_at"),
            [(i, f"Supplier {i}", NOW) for i in range(1, suppliers + 1)],
        ),
        "customer": (
            ("id", "name", "email", "created_at"),
            [(i, f"Customer {i}", f"c{i}@example.com", NOW) for i in range(1, customers + 1)],
        ),
        "material": (
            ("id", "name", "unit", "reorder_milli", "created_at"),
            [(i, f"Material {i}", "g", 1000, NOW) for i in range(1, materials + 1)],
        ),
        "product": (
            ("id", "name", "sku", "unit", "shelf_life_days", "created_at"),
            [(i, f"Product {i}", f"P{i:04d}", "pcs", 365, NOW) for i in range(1, products + 1)],
        ),
        "recipe_line": (
            ("id", "product_id", "material_id", "qty_milli"),
            [(i, i, (i - 1) % materials + 1, 100_000) for i in range(1, products + 1)],
        ),
    }
    lot_rows, moves, edges = [], [], []
    for i in range(1, lots + 1):
        lot_rows.append(
            (
                i,
                f"M260301-{i:04d}",
                "material",
                (i - 1) % materials + 1,
                None,
                (i - 1) % suppliers + 1,
                DAY,
                10_000_000,
                10_000_000 - (100_000 if i <= batches else 0),
                1,
            )
        )
        moves.append((len(moves) + 1, i, "receive", 10_000_000, NOW, 1, "", None))
    for b in range(1, batches + 1):
        lot_id = lots + b
        sold = 1000 if b <= sales else 0
        lot_rows.append((lot_id, f"B260301-{b:04d}", "batch", None, b, None, DAY, 10_000, 10_000 - sold, 1))
        edges.append((b, lot_id, b, 100_000))
        moves.append((len(moves) + 1, b, "consume", -100_000, NOW, 1, "", f"B260301-{b:04d}"))
        moves.append((len(moves) + 1, lot_id, "produce", 10_000, NOW, 1, "", f"B260301-{b:04d}"))
    sale_rows, lines = [], []
    for s in range(1, sales + 1):
        sale_rows.append((s, f"O-{s:05d}", (s - 1) % customers + 1, "direct", DAY, 1, NOW))
        lines.append((s, s, lots + s, 1000, 650))
        moves.append((len(moves) + 1, lots + s, "sell", -1000, NOW, 1, "", f"O-{s:05d}"))
    rows["lot"] = (
        (
            "id",
            "code",
            "kind",
            "material_id",
            "product_id",
            "supplier_id",
            "dated",
            "qty_milli",
            "on_hand_milli",
            "station_id",
            "created_at",
        ),
        [(*r, NOW) for r in lot_rows],
    )
    rows["consumption"] = (("id", "batch_id", "source_id", "qty_milli"), edges)
    rows["sale"] = (("id", "ref", "customer_id", "channel", "sold_on", "station_id", "created_at"), sale_rows)
    rows["sale_line"] = (("id", "sale_id", "lot_id", "qty_milli", "price_cents"), lines)
    rows["movement"] = (("id", "lot_id", "kind", "delta_milli", "at", "station_id", "reason", "ref"), moves)
    rows["code_counter"] = (("id", "key", "value"), [(1, "M260301", lots), (2, "B260301", batches)])
    return rows


async def _fill_pg(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            for table, (columns, values) in _old_rows().items():
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
                await conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
            for table in (
                "station",
                "supplier",
                "customer",
                "material",
                "product",
                "recipe_line",
                "lot",
                "consumption",
                "sale",
                "sale_line",
                "movement",
                "code_counter",
            ):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
    finally:
        await conn.close()


def _fill_sqlite(path: str) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        for table, (columns, values) in _old_rows().items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            plain = [tuple(str(v) if isinstance(v, date) else v for v in row) for row in values]
            db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', plain)
        db.commit()


def _fill_previous(work: Workdir, target: str) -> None:
    """`target` brought to the previous schema, then filled with rows."""
    done = fork_call(lambda: _migrate_to_previous(target))
    if done.code != 0:
        raise CampaignFailure(f"could not make the previous-schema store: {done.err.strip()[-500:]}")
    if is_pg(target):
        asyncio.run(_fill_pg(target))
    else:
        _fill_sqlite(target)


def applied_migrations(target: str) -> list[str]:
    if is_pg(target):

        async def names() -> list[str]:
            conn = await asyncpg.connect(target)
            try:
                return [r[0] for r in await conn.fetch("SELECT name FROM tortoise_migrations ORDER BY name")]
            finally:
                await conn.close()

        return asyncio.run(names())
    with closing(sqlite3.connect(target)) as db:
        return [r[0] for r in db.execute("SELECT name FROM tortoise_migrations ORDER BY name")]


# Templates, made once per campaign run and copied for each use ------------------------------------

_templates: dict[tuple[str, bool], tuple[str, Any]] = {}


def _template(kind: str, work: Workdir, make: Callable[[Workdir, str], Any]) -> tuple[str, Any]:
    key = (kind, work.pg)
    if key not in _templates:
        maker = Workdir(work.root.parent / f"templates-{'pg' if work.pg else 'sqlite'}", pg=work.pg)
        target = maker.new_target()
        payload = make(maker, target)
        if not is_pg(target):
            with closing(sqlite3.connect(target)) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _templates[key] = (target, payload)
    return _templates[key]


def drop_templates() -> None:
    pgs = [target for target, _ in _templates.values() if is_pg(target)]
    if pgs:
        pg_drop(*pgs)
    _templates.clear()


def seeded_store(work: Workdir, at: str | None = None) -> tuple[str, Seeded]:
    """A copy of the seeded workshop (made through the CLI once), at `at` or a new target."""
    template, seeded = _template("seeded", work, seed)
    if at is None:
        return work.new_target(template), seeded
    shutil.copyfile(template, at)
    return at, seeded


def previous_schema_store(work: Workdir) -> str:
    """A copy of a store at the previous schema, full of rows (made once)."""
    template, _ = _template("previous", work, lambda maker, target: _fill_previous(maker, target))
    return work.new_target(template)
