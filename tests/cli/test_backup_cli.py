"""backup, restore and export as scripts see them: a copy made under a writing process is whole,
a damaged or foreign file changes nothing, and a store moved SQLite -> PostgreSQL -> SQLite is
the same store."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import lk, ok, refused
from tests.support.databases import BACKENDS, Databases, dump
from tui.config import PrinterConfig
from tui.devices.printers import make_printer
from tui.services.printing import PrintService
from tui.store.db import open_store
from tui.store.integrity import check


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("LOTKEEPER_DB", raising=False)
    path = tmp_path / "config.toml"
    path.write_text("[store]\nstation = 'till'\n")
    return path


def without_time(path: Path) -> dict[str, Any]:
    doc = json.loads(path.read_bytes())
    assert doc.pop("exported_at")
    return doc


def _parsed(value: object) -> object:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def committed(path: Path) -> dict[str, object]:
    """Every row a store file holds, its migration record (with its own clock) left out. JSON
    columns are compared parsed: PostgreSQL's jsonb keeps the keys in an order of its own."""
    rows = dump(str(path))
    rows.pop("tortoise_migrations")
    return {table: [tuple(map(_parsed, row)) for row in found] for table, found in rows.items()}


@pytest.fixture
def shop(tmp_path: Path, config: Path) -> Path:
    """The demo workshop (intermediates, orders on channels) plus a printed label job (bytes, JSON)."""
    path = tmp_path / "shop.db"
    ok(path, config, "demo", "--seed-only")

    printer = make_printer(PrinterConfig(uri=str(tmp_path / "labels")))

    async def label() -> None:
        async with open_store(str(path)):
            await PrintService([printer]).enqueue_lot_label(await _a_lot())

    asyncio.run(label())
    return path


async def _a_lot() -> str:
    from tui.store.models import Lot

    lot = await Lot.filter(kind="batch").order_by("id").first()
    assert lot is not None
    return lot.code


def test_json_round_trip_sqlite_postgres_sqlite_is_identical(
    shop: Path, config: Path, tmp_path: Path, pg_databases: Databases
) -> None:
    first, second, third = tmp_path / "1.json", tmp_path / "2.json", tmp_path / "3.json"
    ok(shop, config, "export", "--out", str(first))
    pg = pg_databases.take()
    try:
        assert "lots" in ok(pg, config, "restore", str(first))
        ok(pg, config, "export", "--out", str(second))
        back = tmp_path / "back" / "shop.db"
        back.parent.mkdir()
        ok(back, config, "restore", str(second))
        ok(back, config, "export", "--out", str(third))
        source = without_time(first)
        assert source["tables"]["label_job"]["rows"]  # bytes and JSON went through both databases
        assert source == without_time(second) == without_time(third)
        assert committed(back) == committed(shop)
        # Ids go on after the highest one the source ever gave, on PostgreSQL too.
        top = source["sequences"]["supplier"]
        ok(pg, config, "supplier", "add", "New Oils")
        new_id = [r[0] for r in dump(pg)["supplier"] if r[1] == "New Oils"]
        assert new_id == [top + 1]
    finally:
        pg_databases.give_back(pg)


def test_restoring_an_export_wants_an_empty_store(shop: Path, config: Path, tmp_path: Path) -> None:
    export = tmp_path / "shop.json"
    ok(shop, config, "export", "--out", str(export))
    before = dump(str(shop))
    refused(lk(shop, config, "restore", str(export)), "is not empty")
    assert dump(str(shop)) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "lotkeeper-export", "format_version": 1, "sche', "not whole JSON"),
        (b'{"name": "a package.json"}', "JSON of another kind"),
    ],
)
def test_a_damaged_or_foreign_export_changes_nothing(
    config: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    target = tmp_path / "new.db"
    refused(lk(target, config, "restore", str(bad)), message)
    assert not target.exists()


def test_a_cut_export_writes_nothing_and_a_reformatted_one_restores(
    shop: Path, config: Path, tmp_path: Path
) -> None:
    export = tmp_path / "shop.json"
    ok(shop, config, "export", "--out", str(export))
    lines = export.read_bytes().splitlines(keepends=True)
    assert len(lines) > 20  # laid out in lines: read back a chunk at a time
    for keep, message in ((len(lines) // 2, "a part of it is missing"), (-1, "a part of it is missing")):
        cut = tmp_path / f"cut{keep}.json"
        cut.write_bytes(b"".join(lines[:keep]))
        target = tmp_path / f"cut{keep}.db"
        refused(lk(target, config, "restore", str(cut)), message)
        assert not target.exists()
    pretty = tmp_path / "pretty.json"  # as another tool would write it back
    pretty.write_text(json.dumps(json.loads(export.read_bytes()), indent=2))
    target = tmp_path / "pretty.db"
    ok(target, config, "restore", str(pretty))
    assert committed(target) == committed(shop)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_export_that_does_not_check_out_is_not_written(
    shop: Path, config: Path, tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    export = tmp_path / "shop.json"
    ok(shop, config, "export", "--out", str(export))
    doc = json.loads(export.read_bytes())
    lot = doc["tables"]["lot"]
    lot["rows"][0][lot["columns"].index("on_hand_milli")] += 1  # the cache no longer agrees
    export.write_bytes(json.dumps(doc).encode())
    if backend == "sqlite":
        target = tmp_path / "new.db"
        refused(lk(target, config, "restore", str(export)), "does not hold a consistent store")
        assert not target.exists()
        return
    databases: Databases = request.getfixturevalue("pg_databases")
    url = databases.take()
    try:  # the check saw the rows the transaction wrote, and the transaction was undone
        refused(lk(url, config, "restore", str(export)), "does not hold a consistent store")
        assert not any(rows for table, rows in dump(url).items() if table != "tortoise_migrations")
    finally:
        databases.give_back(url)


def test_csv_export_one_file_per_table_header_first(shop: Path, config: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    ok(shop, config, "export", "--csv", str(out))
    lot = (out / "lot.csv").read_text(encoding="utf-8").splitlines()
    assert lot[0].split(",")[:3] == ["id", "code", "kind"]
    with closing(sqlite3.connect(shop)) as db:
        ((lots,),) = db.execute("SELECT COUNT(*) FROM lot").fetchall()
    assert len(lot) == lots + 1
    assert {p.stem for p in out.glob("*.csv")} >= {"lot", "movement", "sale_line", "consumption", "customer"}


def test_backup_json_keys_and_a_checked_copy(shop: Path, config: Path, tmp_path: Path) -> None:
    made = json.loads(ok(shop, config, "backup", str(tmp_path), "--json"))
    assert set(made) == {"path", "bytes", "lots"}
    copy = Path(made["path"])
    assert copy.parent == tmp_path and copy.stat().st_size == made["bytes"]
    assert committed(copy) == committed(shop) | {"event": committed(copy)["event"]}
    refused(lk(shop, config, "backup", str(copy)), "already exists")


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from tui.services import catalog, inventory
    from tui.store.db import open_store

    async def main(path, stop):
        async with open_store(path):
            await catalog.add_material("Oil", "g")
            print("ready", flush=True)
            n = 0
            while not Path(stop).exists():
                await inventory.receive("Oil", "1", supplier=None, cost="0.10")
                n += 1
            print(n, flush=True)

    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


def test_a_backup_while_another_process_writes_is_whole(config: Path, tmp_path: Path) -> None:
    store, stop = tmp_path / "busy.db", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store), str(stop)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        copies = []
        for n in range(3):
            time.sleep(0.2)
            copies.append(json.loads(ok(store, config, "backup", str(tmp_path / f"{n}.db"), "--json")))
    finally:
        stop.touch()
        writer.wait(timeout=30)
    written = int(writer.stdout.read().strip())
    assert written > 0
    lots = [c["lots"] for c in copies]
    assert lots == sorted(lots) and lots[-1] > 0  # taken while the writer went on

    async def checked(path: Path) -> tuple[bool, int, int]:
        async with open_store(str(path), create=False):
            report = await check()
            with closing(sqlite3.connect(path)) as db:
                ((moves,),) = db.execute("SELECT COUNT(*) FROM movement").fetchall()
                ((counter,),) = db.execute("SELECT COALESCE(SUM(value), 0) FROM code_counter").fetchall()
            return report.ok, moves, counter

    for made in copies:
        ok_, moves, counter = asyncio.run(checked(Path(made["path"])))
        # every receipt whole: a lot, its movement and its code's counter, or none of them
        assert (ok_, moves, counter) == (True, made["lots"], made["lots"])


def test_restore_puts_a_backup_back_and_keeps_the_store_it_replaced(
    shop: Path, config: Path, tmp_path: Path
) -> None:
    backup = Path(json.loads(ok(shop, config, "backup", str(tmp_path), "--json"))["path"])
    ok(shop, config, "supplier", "add", "Later Oils")
    refused(lk(shop, config, "restore", str(backup)), "add --yes")
    result = lk(shop, config, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    assert "the store it replaced is kept as" in result.stdout
    [kept] = tmp_path.glob("shop-replaced-*.db")
    assert "Later Oils" in str(dump(str(kept))["supplier"])
    assert "Later Oils" not in str(dump(str(shop))["supplier"])
    assert "store is consistent" in ok(shop, config, "check")


def _damage(path: Path) -> None:
    with path.open("r+b") as file:
        file.seek(4096 * 3)
        file.write(b"\xde\xad" * 2048)


@pytest.mark.parametrize("kind", ["damaged", "foreign", "text", "newer"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    shop: Path, config: Path, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / f"{kind}.db"
    if kind == "damaged":
        bad = Path(json.loads(ok(shop, config, "backup", str(bad), "--json"))["path"])
        _damage(bad)
        message = "damaged"
    elif kind == "foreign":
        with closing(sqlite3.connect(bad)) as db:
            db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        message = "another program"
    elif kind == "text":
        bad.write_text("not a database\n")
        message = "not a database file"
    else:
        ok(shop, config, "backup", str(bad))
        with closing(sqlite3.connect(bad)) as db:
            db.execute(
                "INSERT INTO tortoise_migrations (app, name, applied_at) VALUES ('models', '9999_x', 0)"
            )
            db.commit()
        message = "newer Lotkeeper"
    before = dump(str(shop))
    files = sorted(p.name for p in tmp_path.iterdir())
    refused(lk(shop, config, "restore", str(bad), "--yes"), message)
    assert dump(str(shop)) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # nothing kept aside, no temp left


def test_a_sqlite_backup_is_not_restored_into_postgres(shop: Path, config: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    ok(shop, config, "backup", str(backup))
    refused(lk("postgres://u@127.0.0.1/nothing", config, "restore", str(backup)), "export --out")


def test_the_first_command_of_the_day_makes_the_daily_backup(shop: Path, tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    config = tmp_path / "daily.toml"
    config.write_text(f"[backup]\ndir = '{folder}'\nkeep = 2\n")
    first = lk(shop, config, "stock")
    assert first.exit_code == 0 and "note: daily backup written to" in first.stderr
    second = lk(shop, config, "stock")
    assert (second.exit_code, second.stderr) == (0, "")
    assert len(list(folder.glob("lotkeeper-*.db"))) == 1
    gone = tmp_path / "unplugged.toml"
    gone.write_text(f"[backup]\ndir = '{tmp_path / 'no-stick' / 'lotkeeper'}'\n")
    third = lk(shop, gone, "stock")  # the command still runs; the failure is said
    assert third.exit_code == 0 and "warning: the daily backup failed" in third.stderr
    assert "is the drive plugged in" in third.stderr


def test_the_demo_makes_no_daily_backup(tmp_path: Path, config: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    daily = tmp_path / "daily.toml"
    daily.write_text(f"[backup]\ndir = '{folder}'\n")
    result = lk(tmp_path / "demo.db", daily, "demo", "--seed-only")
    assert result.exit_code == 0 and "backup" not in result.stderr
    assert not list(folder.iterdir())  # the real store's backup of the day is still to come


@pytest.mark.parametrize(
    ("change", "message"),
    [("newer", "written by a newer Lotkeeper (migration 9999_"), ("older", "written at an older schema")],
)
def test_an_export_of_another_schema_is_refused(
    shop: Path, config: Path, tmp_path: Path, change: str, message: str
) -> None:
    export = tmp_path / "shop.json"
    ok(shop, config, "export", "--out", str(export))
    first, rest = export.read_bytes().split(b"\n", 1)
    header = json.loads(first + b"}}")
    del header["tables"]
    header["schema"] = [*header["schema"], "9999_later"] if change == "newer" else header["schema"][:-1]
    export.write_bytes(json.dumps(header).encode()[:-1] + b', "tables":{\n' + rest)
    target = tmp_path / "new.db"
    refused(lk(target, config, "restore", str(export)), message)
    assert not target.exists()
