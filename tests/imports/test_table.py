"""Reading CSV text as a spreadsheet shows it: row numbers, BOM, encodings, broken quoting."""

from __future__ import annotations

import pytest

from tui.imports import BadImportFile, Table, decode, read_text_file
from tui.imports.table import column_key


def rows(text: str) -> list[tuple[int, list[str]]]:
    return [(r.row, r.cells) for r in Table.from_text(text).records]


def test_a_quoted_newline_is_one_row_and_later_rows_keep_their_spreadsheet_number():
    text = 'name,qty\n"Zoë\nO\'Brien",1\n\nFrançois,two\n'
    assert rows(text) == [(2, ["Zoë\nO'Brien", "1"]), (4, ["François", "two"])]


def test_crlf_bom_and_a_crlf_inside_quotes():
    text = '\ufeffname,qty\r\n"a\r\nb",1\r\nc,2\r\n'
    table = Table.from_text(text)
    assert table.header == ["name", "qty"]
    assert [(r.row, r.cells) for r in table.records] == [(2, ["a\r\nb", "1"]), (3, ["c", "2"])]


def test_decode_utf8_with_and_without_bom_and_windows_1252():
    assert decode("Zoë".encode()) == "Zoë"
    assert decode(b"\xef\xbb\xbfname") == "name"
    assert decode("François O’Brien".encode("cp1252")) == "François O’Brien"


def test_bytes_that_are_no_text_are_refused():
    with pytest.raises(BadImportFile, match="not text in UTF-8 or Windows-1252"):
        decode(b"\x81\x8d\x8f\x90\x9d\xff\xfe")


def test_an_unterminated_quote_is_an_error_with_its_row_not_a_swallowed_file():
    with pytest.raises(BadImportFile, match=r"row 3: the file is not readable as CSV"):
        Table.from_text('name,qty\na,1\n"b,2\nc,3\n')


@pytest.mark.parametrize("text", ["", "\n\n", ",,\n", "\ufeff"])
def test_an_empty_file_has_no_header(text):
    with pytest.raises(BadImportFile, match="the file is empty"):
        Table.from_text(text)


def test_header_names_match_whatever_the_case_spaces_underscores_or_hyphens():
    assert column_key("Shelf Life") == column_key("shelf_life") == column_key(" SHELF-LIFE ")
    assert column_key("E-mail") == column_key("email")
    assert column_key("Lineitem  sku") == column_key("Lineitem sku")
    table = Table.from_text("Lineitem SKU,Shelf_Life\nLAV,30\n")
    assert table.getter("lineitem sku")(table.records[0]) == "LAV"
    assert table.getter("shelf life")(table.records[0]) == "30"


def test_a_missing_column_or_short_row_reads_as_empty():
    table = Table.from_text("a,b,c\n1\n")
    record = table.records[0]
    assert table.getter("c")(record) == ""
    assert table.getter("nope")(record) == ""
    assert not table.getter("nope").present


def test_read_text_file_errors_say_what_is_wrong(tmp_path):
    with pytest.raises(BadImportFile, match="no such file"):
        read_text_file(tmp_path / "missing.csv")
    with pytest.raises(BadImportFile, match="is a folder"):
        read_text_file(tmp_path)
    path = tmp_path / "ok.csv"
    path.write_bytes("\ufeffname\nZoë\n".encode())
    assert read_text_file(path) == "name\nZoë\n"
