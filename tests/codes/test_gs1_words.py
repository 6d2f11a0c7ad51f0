"""GS1 scan problems are said in a maker's words: the field by name, what it may hold, no regex."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.codes.gs1 import parse_gs1
from tui.codes.scan import GS, MAX_SCAN_CHARS


@pytest.mark.parametrize(
    ("scan", "said"),
    [
        ("(01)05012345678900(10)LOT é", "the batch or lot number (10) 'LOTé' is not valid: it must be 1"),
        ("]C117991399", "the expiration date (17) '991399' is not valid: it must be a date written YYMMDD"),
        ("]C117260231", "the expiration date (17) '260231' is not a real date (YYMMDD, e.g. 261231)"),
        ("(01)123", "the GTIN (01) '123' is not valid: it must be 14 digits"),
        ("]C1310312a456", "(3103) '12a456' is not valid: it must be 6 digits"),
        ("]C121" + "é" * 3, "the serial number (21) 'ééé' is not valid"),
        ("]C110ab cd", "' cd' does not start with a GS1 field number"),
        ("https://id.example.com/01/05012345678900/10/a b", "the batch or lot number (10) 'a b' is not"),
    ],
)
def test_each_kind_of_refusal(scan: str, said: str) -> None:
    data = parse_gs1(scan)
    assert data is not None
    assert said in data.summary


_GS1ISH = st.text(alphabet="0123456789()abcXYZ é/-" + GS, min_size=1, max_size=60)


@settings(max_examples=400, deadline=None)
@given(body=_GS1ISH, prefix=st.sampled_from(["]C1", "(01)", "(10)", "(17)", "https://x.example/01/", ""]))
def test_no_problem_ever_shows_a_pattern(body: str, prefix: str) -> None:
    data = parse_gs1(prefix + body)
    if data is None:
        return
    for problem in data.problems:
        assert "pattern" not in problem and "^" not in problem and "Failed to" not in problem, problem


def test_text_longer_than_any_barcode_is_not_parsed() -> None:
    """biip's time grew faster than the length (100 KB of digits 0.42 s, 400 KB 4.1 s)."""
    assert parse_gs1("01" + "1" * MAX_SCAN_CHARS) is None
    assert parse_gs1("]C101" + "1" * (MAX_SCAN_CHARS - 5)) is not None
    assert MAX_SCAN_CHARS >= 7089 + 3  # a QR code full of digits, with its AIM prefix
