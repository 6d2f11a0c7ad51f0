import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.codes.scan import GS, clean_scan, printable


@pytest.mark.parametrize(
    ("raw", "text", "symbology"),
    [
        ("]C10109501101020917", "0109501101020917", "]C1"),
        ("]E00012345678905\r\n", "0012345678905", "]E0"),
        ("]Q3https://id.example.com/01/09501101020917", "https://id.example.com/01/09501101020917", "]Q3"),
        ("]d2" + GS + "0109501101020917", "0109501101020917", "]d2"),
        ("  M261109-001\t", "M261109-001", None),
        ("\x02LAOS-100\x03", "LAOS-100", None),
        ("\x1b[31mRED\x1b[0m", "[31mRED[0m", None),
        ("ABC\u202eDEF", "ABCDEF", None),
        ("]Xx123", "]Xx123", None),
        ("", "", None),
    ],
)
def test_clean_scan(raw, text, symbology):
    scan = clean_scan(raw)
    assert (scan.text, scan.symbology) == (text, symbology)


def test_configured_separator_becomes_gs():
    scan = clean_scan("]C1010950110102091710ABC|17270131", separator="|")
    assert scan.text == "010950110102091710ABC" + GS + "17270131"
    assert scan.is_gs1
    assert not clean_scan("]E00012345678905").is_gs1


def test_gs_inside_is_kept_and_ends_are_trimmed():
    assert clean_scan(GS + "10ABC" + GS + "21X" + GS).text == "10ABC" + GS + "21X"


def test_printable_shows_gs_and_drops_escapes():
    assert printable("10A\x1dB\x1b[2J") == "10A<GS>B[2J"


def _assert_clean(raw: str, separator: str) -> None:
    scan = clean_scan(raw, separator)
    assert all(c == GS or not unicodedata.category(c).startswith("C") for c in scan.text)
    assert scan.text == scan.text.strip()
    assert scan.symbology is None or len(scan.symbology) == 3


@given(st.text(), st.sampled_from(["\x1d", "|", "^", "", "<GS>"]))
def test_never_raises_on_text(raw, separator):
    _assert_clean(raw, separator)


@given(st.binary())
def test_never_raises_on_latin1_bytes(data):
    _assert_clean(data.decode("latin-1"), "\x1d")


@given(st.text(alphabet=st.characters(max_codepoint=0x9F)))
def test_never_raises_on_control_characters(raw):
    _assert_clean(raw, "\x1d")
