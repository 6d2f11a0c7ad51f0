"""The recall pack as a sortable spreadsheet: CSV (any spreadsheet) or .xlsx (xlsxwriter).

Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are written with a leading
`'` in the CSV (a phone number's `+` is left alone); the .xlsx writes every cell as a string,
number or date, never a formula.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from tui.documents.files import write_atomically
from tui.documents.pack import HEADINGS, PackRow, RecallPack

Progress = Callable[[int, int], None]
"""Called with (rows written, rows in all) now and then."""

STEP = 5000


def no_progress(done: int, total: int) -> None:
    """No one is watching."""


_PHONE = re.compile(r"\+[\d ()./-]+")
"""A phone number in international form: a leading `+` that no spreadsheet runs as a formula."""


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PHONE.fullmatch(text):
        return "'" + text
    return text


def csv_lines(rows: Iterable[PackRow]) -> Iterable[list[str]]:
    for row in rows:
        yield [csv_cell(value) for value in row[:-1]]


def write_csv(pack: RecallPack, target: Path, progress: Progress = no_progress) -> Path:
    def write(partial: Path) -> None:
        total = len(pack.rows)
        with partial.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(HEADINGS)
            for start in range(0, total, STEP):
                writer.writerows(csv_lines(pack.rows[start : start + STEP]))
                progress(min(start + STEP, total), total)

    return write_atomically(target, write, "recall pack")


def write_xlsx(pack: RecallPack, target: Path, progress: Progress = no_progress) -> Path:
    import xlsxwriter

    def write(partial: Path) -> None:
        total = len(pack.rows)
        book = xlsxwriter.Workbook(
            str(partial), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        try:
            sheet = book.add_worksheet("Recall")
            bold = book.add_format({"bold": True})
            day = book.add_format({"num_format": "yyyy-mm-dd"})
            sheet.write_row(0, 0, HEADINGS, bold)
            sheet.freeze_panes(1, 0)
            for r, row in enumerate(pack.rows, start=1):
                for c, value in enumerate(row[:-1]):
                    if isinstance(value, date):
                        sheet.write_datetime(r, c, value, day)
                    elif isinstance(value, Decimal):
                        sheet.write_number(r, c, float(value))
                    elif value:
                        sheet.write_string(r, c, value)
                if r % STEP == 0:
                    progress(r, total)
            sheet.autofilter(0, 0, total, len(HEADINGS) - 1)
        finally:
            book.close()
        progress(total, total)

    return write_atomically(target, write, "recall pack")
