import re

import pytest

from tui.codes.sku import describe_pattern, initials, normalise_sku, suggest_sku
from tui.config import CodesConfig
from tui.errors import InvalidInput

CODES = CodesConfig()


@pytest.mark.parametrize(
    ("name", "variant", "sku"),
    [
        ("Lavender Oat Soap", "100g", "LAOS-100"),
        ("Unscented", "", "UNSC"),
        ("Crème brûlée candle", "Large", "CRBC-LAR"),
        ("Rose & Clay", "8 oz", "ROCL-8OZ"),
        ("A", "B", "A-B"),
    ],
)
def test_suggest_sku(name, variant, sku):
    assert suggest_sku(name, variant, CODES.sku_template) == sku
    assert normalise_sku(sku, CODES.sku_pattern) == sku


def test_suggest_sku_other_templates():
    assert suggest_sku("Lavender Oat Soap", "100g", "{name}/{variant:2}") == "LAVENDEROATSOAP10"
    assert suggest_sku("Olive Oil Soap", "x", "S-{name:2}") == "S-OO"


def test_initials_spread_over_words():
    assert initials("Lavender Oat Soap", 4) == "LAOS"
    assert initials("Lavender Oat Soap", 2) == "LO"
    assert initials("a b c d e f", 4) == "ABCD"
    assert initials("Oat", 10) == "OAT"
    assert initials("---", 4) == ""


def test_suggest_sku_errors():
    with pytest.raises(InvalidInput, match=re.escape("unknown field {colour}: use {name:N} or {variant:N}")):
        suggest_sku("Soap", "", "{colour:3}")
    with pytest.raises(InvalidInput, match="give the product a name with letters or digits"):
        suggest_sku("!!!", "100g", CODES.sku_template)


def test_normalise_sku():
    assert normalise_sku("  laos-100\n", CODES.sku_pattern) == "LAOS-100"
    assert normalise_sku("laos-100", r"[a-z-0-9]+", uppercase=False) == "laos-100"


@pytest.mark.parametrize(
    ("text", "pattern", "message"),
    [
        ("", CODES.sku_pattern, "no SKU given: type or scan the product's SKU"),
        (
            "lav oat",
            CODES.sku_pattern,
            "SKU 'LAV OAT' does not fit the SKU rule: 1 character (capital letters or digits), "
            "then 1 to 31 characters (capital letters, digits or '-')",
        ),
        ("AB-12", r"^[A-Z]{3}-\d{3}$", r"it must match the pattern ^[A-Z]{3}-\d{3}$"),
        ("\x1b[2J", CODES.sku_pattern, "SKU '[2J' does not fit"),
        ("X", "[", "codes.sku_pattern is not a valid pattern"),
    ],
)
def test_normalise_sku_errors(text, pattern, message):
    with pytest.raises(InvalidInput) as info:
        normalise_sku(text, pattern)
    assert message in info.value.message


def test_describe_pattern():
    assert describe_pattern("[A-Z]+[0-9]*[-_]?[a-z0-9]{2}") == (
        "1 or more characters (capital letters), then any number of characters (digits), "
        "then an optional character ('-' or '_'), then 2 characters (small letters or digits)"
    )
    assert describe_pattern(r"[\w]+") == r"it must match the pattern [\w]+"
