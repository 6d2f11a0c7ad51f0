"""Reading a CSV the way a spreadsheet shows it: columns by header name, rows by their row number.

Row numbers count records, not physical lines: a quoted field holding a newline (a buyer's name
split over two lines) is still one row, so the numbers in an error match what the maker sees
when the file is opened in a spreadsheet. The header is row 1; blank rows keep their number.
Header names are compared ignoring case, spaces, `_` and `-`: `Shelf Life` is `shelf_life`,
`E-mail` is `email`.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tui.errors import InvalidInput


class BadImportFile(InvalidInput):
    """The file as a whole cannot be read: not text, no header, not the expected kind of file."""


def column_key(name: str) -> str:
    """How a header name is compared: `Lineitem  SKU`, `lineitem_sku` and `LineItem-sku` are one."""
    return "".join(name.replace("_", " ").replace("-", " ").split()).casefold()


def decode(data: bytes) -> str:
    """Text of an exported file: UTF-8 (with or without a BOM), else Windows-1252 as Excel saves it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadImportFile(
            "the file is not text in UTF-8 or Windows-1252: export it again as CSV (UTF-8)"
        ) from None


def read_text_file(path: str | Path) -> str:
    """The decoded text of the file at `path`, with a message a maker can act on when it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BadImportFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadImportFile(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise BadImportFile(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return decode(data)


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while a file becomes records.

    A 100,000-row export makes millions of objects; the collector would rescan them again and
    again (half the time of a big import). Reading creates no reference cycles, so reference
    counting still frees everything; the collector is switched back on afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class Record:
    """One data row: its spreadsheet row number and its cells."""

    row: int
    cells: list[str]


class Table:
    """A parsed CSV: the header, a column index by name, and the data records in order."""

    def __init__(self, header: list[str], records: list[Record]) -> None:
        self.header = header
        self.records = records
        self._index: dict[str, int] = {}
        for i, name in enumerate(header):
            self._index.setdefault(column_key(name), i)

    @classmethod
    def from_text(cls, text: str) -> Table:
        if text.startswith("\ufeff"):
            text = text[1:]
        records = list(_records(csv.reader(io.StringIO(text, newline=""), strict=True)))
        if not records or not any(cell.strip() for cell in records[0].cells):
            raise BadImportFile("the file is empty: it has no header row")
        header = [cell.strip() for cell in records[0].cells]
        width = len(header)
        data = []
        for record in records[1:]:
            if any(cell.strip() for cell in record.cells):
                if len(record.cells) < width:  # short rows read as empty cells, as a spreadsheet shows them
                    record.cells.extend([""] * (width - len(record.cells)))
                data.append(record)
        return cls(header, data)

    def has(self, key: str) -> bool:
        return column_key(key) in self._index

    def index(self, key: str) -> int | None:
        """Position of the column named `key` (compared with `column_key`), None when absent."""
        return self._index.get(column_key(key))

    def missing(self, keys: Iterable[str]) -> list[str]:
        return [k for k in keys if column_key(k) not in self._index]

    def unknown(self, known: Iterable[str]) -> list[str]:
        """Header names that are none of `known` (blank header cells are not reported)."""
        wanted = {column_key(k) for k in known}
        return [name for name in self.header if name and column_key(name) not in wanted]

    def getter(self, key: str) -> Cell:
        return Cell(self.index(key))


class Cell:
    """Reads one named column from a record: stripped text, '' when the column is absent.

    Records are padded to the header's width when read, so every column has a cell.
    """

    __slots__ = ("position",)

    def __init__(self, position: int | None) -> None:
        self.position = position

    def __call__(self, record: Record) -> str:
        position = self.position
        return "" if position is None else record.cells[position].strip()

    @property
    def present(self) -> bool:
        return self.position is not None


def _records(reader: Iterator[list[str]]) -> Iterator[Record]:
    # strict: a quote left open would otherwise swallow the rest of the file into one cell.
    row = 0
    try:
        for cells in reader:
            row += 1
            yield Record(row, cells)
    except csv.Error as exc:
        raise BadImportFile(
            f"row {row + 1}: the file is not readable as CSV ({exc}): a quote may be left open"
        ) from None
