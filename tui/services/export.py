"""The whole store as one JSON document (or one CSV per table), and a store made again from it.

An export is how a store moves between databases: from a Pi's SQLite file to a shared
PostgreSQL and back. So it holds every table's rows with their ids, each table's highest id ever
handed out (ids are never reused: a lot code's sequence, a label job's number), and the schema
(the migrations applied) it was written at. Restoring takes an **empty** store at the same
schema, writes every table in one transaction with foreign keys on (tables in reference order,
`tui.store.tables`), sets the id sequences, and runs the self-check before committing: a
restore either gives the store the export describes, or changes nothing.

The document is written a chunk of rows at a time, each piece on a line of its own, so a
restore reads it back the same way (`tui.services.export_file`): a million-row ledger is never
held whole, either way.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from tui import __version__
from tui.errors import LotkeeperError, StoreError
from tui.services.export_file import FORMAT, FORMAT_VERSION, Export
from tui.store import tables
from tui.store.db import writing
from tui.store.integrity import check


@dataclass(frozen=True)
class Exported:
    path: Path
    bytes: int
    tables: int
    rows: int
    lots: int


def _json(value: Any) -> bytes:
    return orjson.dumps(value)


async def write_json(out: IO[bytes]) -> tuple[int, int, int]:
    """The export of the open store into `out`: (tables, rows, lots)."""
    every = tables.ordered_tables()
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lotkeeper": __version__,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema": await tables.applied_migrations(),
        "sequences": await tables.sequences(every),
    }
    out.write(_json(header)[:-1] + b',"tables":{\n')
    total = lots = 0
    for n, table in enumerate(every):
        start = (b"," if n else b"") + _json(table.name) + b':{"columns":' + _json(list(table.columns))
        out.write(start + b',"rows":[\n')
        first = True
        async for chunk in tables.read_rows(table):
            out.write((b"" if first else b",") + _json(chunk)[1:-1] + b"\n")
            first = False
            total += len(chunk)
            if table.name == "lot":
                lots += len(chunk)
        out.write(b"]}\n")
    out.write(b"}}\n")
    return len(every), total, lots


async def export_json(path: Path) -> Exported:
    """Write the export to `path` (under a temporary name until it is whole)."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as out:
            count, rows, lots = await write_json(out)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"cannot write the export {path}: {exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Exported(path=path, bytes=path.stat().st_size, tables=count, rows=rows, lots=lots)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode("utf-8")
    return value


async def export_csv(folder: Path) -> Exported:
    """One CSV per table in `folder` (made if missing), header first, for spreadsheets."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the folder {folder}: {exc.strerror or exc}") from exc
    every = tables.ordered_tables()
    total = lots = 0
    for table in every:
        path = folder / f"{table.name}.csv"
        try:
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(table.columns)
                async for chunk in tables.read_rows(table):
                    writer.writerows([_cell(v) for v in row] for row in chunk)
                    total += len(chunk)
                    if table.name == "lot":
                        lots += len(chunk)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
    size = sum(f.stat().st_size for f in folder.glob("*.csv"))
    return Exported(path=folder, bytes=size, tables=len(every), rows=total, lots=lots)


async def is_empty() -> bool:
    for table in tables.ordered_tables():
        if await tables.count_rows(table):
            return False
    return True


async def restore_json(export: Export, where: str) -> dict[str, int]:
    """Write `export` into the open, empty store at the same schema; rows written per table.

    All in one transaction, checked before it commits: refused, nothing is changed.
    """
    every = tables.ordered_tables()
    if not await is_empty():
        raise StoreError(
            f"the store {where} is not empty: an export is restored into an empty store only (a new "
            "SQLite file, or a new PostgreSQL database: createdb); nothing was changed"
        )
    schema = tuple(await tables.applied_migrations())
    if export.schema != schema:
        newer = sorted(set(export.schema) - set(schema))
        if newer:
            raise StoreError(
                f"the export was written by a newer Lotkeeper (migration {newer[-1]}): upgrade Lotkeeper "
                "to restore it; nothing was changed"
            )
        raise StoreError(
            f"the export was written at an older schema ({export.schema[-1] if export.schema else 'none'}): "
            "restore it with the Lotkeeper version that wrote it, open the store once with this one "
            "(it upgrades), and export again; nothing was changed"
        )
    known = {t.name: t for t in every}
    written: dict[str, int] = {}
    async with writing():
        await tables.prepare_bulk_write()
        for name, columns, rows in export.chunks():
            table = known.get(name)
            if table is None:
                raise StoreError(
                    f"the export has a table this store does not know ({name}): nothing was changed"
                )
            try:
                await tables.write_rows(table, columns, rows)
            except LotkeeperError:
                raise
            except Exception as exc:  # a value the column cannot take: the driver's own words
                raise StoreError(
                    f"the export's table {name} cannot be written ({exc}): nothing was changed"
                ) from exc
            written[name] = written.get(name, 0) + len(rows)
        await tables.set_sequences(every, export.sequences)
        report = await check()
        if not report.ok:
            raise StoreError(
                f"the export does not hold a consistent store ({report.problems[0]}"
                + (f", and {len(report.problems) - 1} more problem(s)" if len(report.problems) > 1 else "")
                + "): nothing was changed"
            )
    return written
