"""Stores for the campaigns: fresh ones, and copies of a workshop seeded once through the CLI.

`fingerprint` is what "wholly in or wholly out" is checked against: row counts and quantity sums
that a change moves by a fixed amount. (The previous-schema store: previous_schema.py.)
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from .forking import Outcome, cli, fork_call

ADMIN = os.environ.get("LOTKEEPER_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
SERVER = ADMIN.rsplit("/", 1)[0]
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


# Templates, made once per campaign run and copied for each use ------------------------------------

_templates: dict[tuple[str, bool], tuple[str, Any]] = {}


def cached_template(kind: str, work: Workdir, make: Callable[[Workdir, str], Any]) -> tuple[str, Any]:
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
    template, seeded = cached_template("seeded", work, seed)
    if at is None:
        return work.new_target(template), seeded
    shutil.copyfile(template, at)
    return at, seeded
