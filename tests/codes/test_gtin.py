import re
from itertools import count

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.codes.gtin import (
    check_digit,
    is_gtin,
    next_gtin,
    parse_gtin,
    short_form,
    to_ean13,
    to_upca,
)
from tui.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "kind", "gtin14"),
    [
        ("012345678905", "upca", "00012345678905"),
        ("0012345678905", "ean13", "00012345678905"),
        ("5901234123457", "ean13", "05901234123457"),
        ("96385074", "ean8", "00000096385074"),
        ("10614141000019", "gtin14", "10614141000019"),
        (" 5901234123457\n", "ean13", "05901234123457"),
    ],
)
def test_parse_valid(text, kind, gtin14):
    gtin = parse_gtin(text)
    assert (gtin.kind, gtin.gtin14, gtin.digits) == (kind, gtin14, text.strip())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0012345678906", "0012345678906: check digit should be 5, not 6"),
        ("012345678900", "012345678900: check digit should be 5, not 0"),
        ("", "no GTIN given: scan or type the 8, 12, 13 or 14 digits"),
        ("12a45678", "12a45678: a GTIN has digits only"),
        ("١٢٣٤٥٦٧٨", "a GTIN has digits only"),
        ("1234567", "1234567: a GTIN has 8, 12, 13 or 14 digits, not 7"),
        ("\x1b[31m", "'\\x1b[31m': a GTIN has digits only"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_gtin(text)
    assert not is_gtin(text)


def test_upc_and_its_ean13_form_are_one_item():
    assert parse_gtin("012345678905").gtin14 == parse_gtin("0012345678905").gtin14
    assert to_ean13("012345678905") == "0012345678905"
    assert to_upca("0012345678905") == "012345678905"
    assert short_form("00012345678905") == "012345678905"
    assert short_form("05901234123457") == "5901234123457"
    assert short_form("00000096385074") == "96385074"
    assert short_form("10614141000019") == "10614141000019"


def test_conversion_errors():
    with pytest.raises(InvalidInput, match="10614141000019 is a case-level GTIN-14"):
        to_ean13("10614141000019")
    with pytest.raises(InvalidInput, match="5901234123457: only an EAN-13 starting with 0"):
        to_upca("5901234123457")


def test_next_gtin_takes_lowest_free_reference_in_any_form():
    used = ["0614141000005", "614141000012", "00614141000029", "not a gtin", "0614141000045"]
    assert next_gtin("0614141", used) == "0614141000036"
    assert next_gtin("0614141", used, kind="upca") == "614141000036"
    assert next_gtin("5012345", []) == "5012345000008"


def test_next_gtin_exhausted():
    prefix = "50123456789"  # 11 digits: one digit of item reference, ten GTINs
    used: list[str] = []
    for _ in range(10):
        used.append(next_gtin(prefix, used))
    assert len(set(used)) == 10
    with pytest.raises(InvalidInput, match="all 10 GTINs of company prefix 50123456789 are used"):
        next_gtin(prefix, used)


@pytest.mark.parametrize(
    ("prefix", "kind", "message"),
    [
        ("", "ean13", "no GS1 company prefix is configured: set codes.gs1_company_prefix"),
        ("12345", "ean13", "GS1 company prefix '12345' must be 6 to 11 digits"),
        ("501234567890", "ean13", "must be 6 to 11 digits"),
        ("50123A5", "ean13", "must be 6 to 11 digits"),
        ("2123456", "ean13", r"2123456 cannot number products \(Used to issue GS1 Restricted"),
        ("9781234", "ean13", r"cannot number products \(Bookland \(ISBN\)\)"),
        ("9912345", "ean13", "cannot number products"),
        ("5012345", "upca", 'cannot make UPC-A numbers .* set codes.gtin_kind = "ean13"'),
        ("5012345", "gtin14", "GTIN kind 'gtin14' cannot be allocated: use 'ean13' or 'upca'"),
    ],
)
def test_next_gtin_refuses(prefix, kind, message):
    with pytest.raises(InvalidInput, match=message):
        next_gtin(prefix, [], kind=kind)


PREFIXES = st.sampled_from(["061414", "0614141", "06141412345", "5012345", "4006381333"])


@given(PREFIXES, st.sets(st.integers(0, 99)), st.sampled_from(["ean13", "upca"]))
def test_allocated_gtins_validate_and_round_trip(prefix, taken, kind):
    if kind == "upca" and not prefix.startswith("0"):
        kind = "ean13"
    width = 12 - len(prefix)
    used = []
    for ref in taken:
        if ref < 10**width:
            payload = prefix + str(ref).zfill(width)
            used.append(payload + str(check_digit(payload)))
    if len(used) == 10**width:
        with pytest.raises(InvalidInput):
            next_gtin(prefix, used, kind)
        return
    code = next_gtin(prefix, used, kind)
    gtin = parse_gtin(code)
    assert gtin.kind == kind
    assert gtin.gtin14 not in {parse_gtin(u).gtin14 for u in used}
    assert int(gtin.gtin14[1 + len(prefix) : -1]) == next(i for i in count() if i not in taken)
    ean = to_ean13(code)
    assert parse_gtin(ean).gtin14 == gtin.gtin14
    if prefix.startswith("0"):
        assert parse_gtin(to_upca(ean)).gtin14 == gtin.gtin14
        assert to_ean13(to_upca(gtin.gtin14)) == ean


@given(st.text())
def test_parse_gtin_only_raises_invalid_input(text):
    try:
        parse_gtin(text)
    except InvalidInput as exc:
        assert exc.message
