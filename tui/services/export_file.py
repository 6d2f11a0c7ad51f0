"""Reading an export file back, a chunk of rows at a time.

`export --out` writes one JSON document laid out in lines: the header (format, schema, id
sequences) up to `"tables":{`, then per table a line opening it (its columns), one line per
chunk of rows, and a line closing it. Any JSON reader takes the whole document; a restore reads
it line by line, so a 200 MB export of a 100k-lot store never sits in memory at once. A file laid
out otherwise (pretty-printed by another tool) is still read, whole. A truncated file is found
at its end, inside the restore's transaction: nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.errors import StoreError

FORMAT = "lotkeeper-export"
FORMAT_VERSION = 1
_TABLES = b'"tables":{'
_END = b"}}"
Chunk = tuple[str, list[str], list[list[Any]]]
"""A table's name, its columns and some of its rows."""


def not_an_export(path: Path, why: str) -> StoreError:
    return StoreError(f"{path} is not a Lotkeeper export ({why}): nothing was changed")


@dataclass(frozen=True)
class Export:
    """An export file whose header was read and checked; `chunks()` reads its rows."""

    path: Path
    schema: tuple[str, ...]
    sequences: dict[str, int]
    lined: bool
    """Laid out in lines as `export` writes it (read a chunk at a time), else read whole."""

    def chunks(self) -> Iterator[Chunk]:
        """Every table's rows, in the file's order, a chunk at a time."""
        return self._lined() if self.lined else self._whole()

    def _whole(self) -> Iterator[Chunk]:
        found = _load(self.path, self.path.read_bytes()).get("tables")
        if not isinstance(found, dict):
            raise not_an_export(self.path, "it has no tables")
        for name, table in found.items():
            if not isinstance(table, dict) or not isinstance(table.get("rows"), list):
                raise not_an_export(self.path, f"its table {name} has no rows")
            yield str(name), list(table.get("columns") or []), table["rows"]

    def _lined(self) -> Iterator[Chunk]:
        name, ended = "", False
        columns: list[str] = []
        with self.path.open("rb") as file:
            next(file)  # the header, read by read_export
            for number, line in enumerate(file, start=2):
                text = line.rstrip(b"\n").removeprefix(b",")
                if ended or not text:
                    raise self._broken(number)
                if text == _END:
                    ended = True
                elif text == b"]}":
                    name = ""
                elif text.startswith(b"["):
                    if not name:
                        raise self._broken(number)
                    yield name, columns, self._parse(b"[" + text + b"]", number)
                elif text.startswith(b'"') and text.endswith(b'"rows":['):
                    ((name, opened),) = self._parse(b"{" + text + b"]}}", number).items()
                    columns = list(opened.get("columns") or [])
                else:
                    raise self._broken(number)
        if not ended or name:
            raise not_an_export(self.path, "it ends before its last table does: a part of it is missing")

    def _parse(self, text: bytes, number: int) -> Any:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            raise self._broken(number) from None

    def _broken(self, number: int) -> StoreError:
        return not_an_export(
            self.path, f"line {number} is not what an export holds there: it was changed or cut"
        )

    def count(self) -> dict[str, int]:
        """Rows per table, reading the whole file (a backup is read back before it counts)."""
        counts: dict[str, int] = {}
        for name, _, rows in self.chunks():
            counts[name] = counts.get(name, 0) + len(rows)
        return counts


def _load(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise not_an_export(path, f"it is not whole JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise not_an_export(path, "it is JSON of another kind")
    return doc


def read_export(path: Path) -> Export:
    """Open an export and check its header; StoreError names what is wrong."""
    try:
        with path.open("rb") as file:
            first = file.readline()
            lined = first.rstrip(b"\n").endswith(_TABLES)
            header = _load(path, first.rstrip(b"\n") + _END) if lined else _load(path, first + file.read())
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if header.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            f"{path} is an export of format {header.get('format_version')}, which this Lotkeeper cannot "
            "read: upgrade Lotkeeper; nothing was changed"
        )
    schema, sequences = header.get("schema"), header.get("sequences")
    if not isinstance(schema, list) or not isinstance(sequences, dict):
        raise not_an_export(path, "its schema or id sequences are missing")
    return Export(
        path=path,
        schema=tuple(str(s) for s in schema),
        sequences={str(k): int(v) for k, v in sequences.items()},
        lined=lined,
    )
