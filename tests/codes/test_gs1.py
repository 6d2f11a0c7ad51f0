import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.codes.gs1 import (
    Gs1Data,
    check_batch,
    digital_link_uri,
    element_string,
    parse_gs1,
)
from tui.codes.scan import GS
from tui.errors import InvalidInput

GTIN = "09501101020917"


def test_aim_prefixed_element_string_with_gs():
    data = parse_gs1("]C1" + f"01{GTIN}17270131" + f"10ABC-1{GS}21X7")
    assert data == Gs1Data(gtin14=GTIN, batch="ABC-1", expiry=date(2027, 1, 31), serial="X7")
    assert data.summary == (f"GS1: GTIN {GTIN}, batch ABC-1, expiry 2027-01-31, serial X7")


def test_configured_separator():
    data = parse_gs1(f"01{GTIN}10ABC|17270131", separator="|")
    assert (data.batch, data.expiry, data.problems) == ("ABC", date(2027, 1, 31), ())


def test_missing_separator_is_reported_not_swallowed_silently():
    data = parse_gs1(f"01{GTIN}10ABC1727013121123")
    assert data.gtin14 == GTIN
    assert len(data.problems) == 1
    assert (
        "the batch 'ABC1727013121123' seems to contain more fields ((17)270131(21)123)" in (data.problems[0])
    )
    assert "no separator" in data.summary


def test_missing_separator_before_gtin_is_reported():
    data = parse_gs1(f"]d210LOT7{GS}21SER01{GTIN}")
    assert data.serial == f"SER01{GTIN}"
    assert "(01)09501101020917" in data.problems[0]


@pytest.mark.parametrize("batch", ["L2401", "M261117-001", "LOT17", "B17270"])
def test_ordinary_batches_are_not_flagged(batch):
    assert parse_gs1(f"]C101{GTIN}17270131" + f"10{batch}").problems == ()


def test_hri_form_counts_and_weight_and_dates():
    data = parse_gs1(f"(01){GTIN}(11)260101(15)270100(37)12(3103)001250")
    assert data == Gs1Data(
        gtin14=GTIN,
        production_date=date(2026, 1, 1),
        best_before=date(2027, 1, 31),
        count=12,
        net_weight_kg=Decimal("1.250"),
    )
    assert parse_gs1(f"]C101{GTIN}30{'7'}").count == 7


def test_digital_link():
    data = parse_gs1(f"]Q3https://id.example.com/01/{GTIN}/10/AB%2FC?17=271231")
    assert data == Gs1Data(gtin14=GTIN, batch="AB/C", expiry=date(2027, 12, 31), digital_link=True)
    assert data.summary.startswith("GS1 Digital Link: GTIN")


def test_wrong_gtin_check_digit_is_a_problem():
    data = parse_gs1("]C10109501101020918")
    assert data.gtin14 is None
    assert data.problems == ("GTIN 09501101020918: check digit should be 7, not 8",)
    assert data.summary == ("GS1: nothing usable; GTIN 09501101020918: check digit should be 7, not 8")


@pytest.mark.parametrize(
    "text",
    [
        f"]C101{GTIN}17271331",
        f"01{GTIN}10{'A' * 25}{GS}17270131",
        "(01)0950110102091",
        "https://id.example.com/01/09501101020917/10/%1B%5B2J",
        "http://[broken/01/1",
    ],
)
def test_broken_gs1_gives_a_problem(text):
    data = parse_gs1(text)
    assert data is not None and data.gtin14 is None
    assert data.problems[0].startswith("not a valid GS1")
    assert "\x1b" not in data.summary


@pytest.mark.parametrize(
    "text",
    [
        "0012345678905",  # a plain GTIN is not a GS1 element string
        "]E00012345678905",
        "1012345678903",  # an EAN-13 that happens to start with AI (10)
        "10-ABC",
        "3103000750",
        "M261109-001",
        "LK!DONE",
        "https://example.com/about",
        "(hello)",
        "",
    ],
)
def test_not_gs1(text):
    assert parse_gs1(text) is None


def test_element_string_forms():
    payload = element_string("9501101020917", "LAOS261109-01", date(2027, 1, 31))
    assert payload.hri == f"(01){GTIN}(17)270131(10)LAOS261109-01"
    assert payload.raw == f"01{GTIN}17270131" + "10LAOS261109-01"
    assert parse_gs1(payload.raw).batch == "LAOS261109-01"
    assert parse_gs1(payload.hri).expiry == date(2027, 1, 31)
    both = element_string(GTIN, None, date(2027, 1, 31), best_before=date(2026, 12, 1))
    assert both.hri == f"(01){GTIN}(17)270131(15)261201"
    assert element_string("012345678905").raw == "0100012345678905"


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        ("", "lot '' cannot go into a GS1 code: use 1 to 20 letters"),
        ("A" * 21, "cannot go into a GS1 code: use 1 to 20"),
        ("A B", "lot 'A B' cannot go into a GS1 code (not allowed: ' ')"),
        ("L(1)", "(not allowed: '()')"),
        ("Crème", "(not allowed: 'è')"),
    ],
)
def test_batch_errors(batch, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_batch(batch)


def test_element_string_refuses_bad_gtin():
    with pytest.raises(InvalidInput, match="check digit should be 7, not 8"):
        element_string("09501101020918", "A")


def test_digital_link_uri_encodes_and_round_trips():
    uri = digital_link_uri("https://id.example.com/", "9501101020917", "A/B%1")
    assert uri == f"https://id.example.com/01/{GTIN}/10/A%2FB%251"
    assert parse_gs1(uri) == Gs1Data(gtin14=GTIN, batch="A/B%1", digital_link=True)
    assert digital_link_uri("example.com:8443/gs1", GTIN) == (f"https://example.com:8443/gs1/01/{GTIN}")


@pytest.mark.parametrize("domain", ["", "id example.com", "ftp://x.com", "x.com/a b"])
def test_digital_link_uri_refuses_bad_domain(domain):
    with pytest.raises(
        InvalidInput, match=re.escape("is not a resolver domain: set codes.digital_link_domain")
    ):
        digital_link_uri(domain, GTIN, "A")


def _check(data: Gs1Data | None) -> None:
    if data is not None:
        assert all(not unicodedata.category(c).startswith("C") for c in data.summary)


GS1ISH = st.text(alphabet="0123456789()/:.%?=ABC" + GS + "]dCQ3 htps", max_size=60)


@given(st.one_of(st.text(), GS1ISH, st.builds(lambda t: "https://a.b/01/" + t, st.text())))
def test_never_raises_on_text(text):
    _check(parse_gs1(text))


@given(st.binary())
def test_never_raises_on_latin1_bytes(data):
    _check(parse_gs1(data.decode("latin-1")))


@given(st.text(alphabet=st.characters(max_codepoint=0x9F)), st.sampled_from([GS, "|", ""]))
def test_never_raises_on_control_characters(text, separator):
    _check(parse_gs1(text, separator))
