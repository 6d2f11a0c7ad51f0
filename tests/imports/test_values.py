"""Cells as the platforms write them, turned into exact values or a reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.imports.values import (
    CellError,
    code,
    day_and_time,
    exact,
    iso_date,
    money,
    quantity,
    text,
    timestamp,
    us_date,
)


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("8.00", Decimal("8.00")),
        ("$8.00", Decimal("8.00")),
        ("-$9.00", Decimal("-9.00")),
        ("$-9.00", Decimal("-9.00")),
        ("(9.00)", Decimal("-9.00")),
        ("12,00 €", Decimal("12.00")),
        ("€8,50", Decimal("8.50")),
        ("1,049.00", Decimal("1049.00")),
        ("1,049,000", Decimal("1049000")),
        ("1.049.000,5", Decimal("1049000.5")),
        ("CHF 1'049.00", Decimal("1049.00")),
        ("1.049,00", Decimal("1049.00")),
        ("1\u202f049,00", Decimal("1049.00")),
        ("USD 5.00", Decimal("5.00")),
        ("CA$4.00", Decimal("4.00")),
        ("", None),
    ],
)
def test_money_as_each_platform_writes_it(cell, amount):
    assert money(cell) == amount


@pytest.mark.parametrize("cell", ["abc", "12abc", "$", "8.00.00", "8,00,00", "1.2,3.4", "--5", "1,234,5.00"])
def test_money_that_is_not_money(cell):
    with pytest.raises(CellError, match="is not an amount of money"):
        money(cell, what="price")


@pytest.mark.parametrize(
    ("cell", "whole", "signed", "value"),
    [
        ("2", True, False, Decimal(2)),
        ("1.0", False, False, Decimal(1)),
        ("-1.0", False, True, Decimal(-1)),
        ("0.250", False, False, Decimal("0.25")),
        ("1,5", False, False, Decimal("1.5")),
    ],
)
def test_quantities_are_exact(cell, whole, signed, value):
    result = quantity(cell, whole=whole, signed=signed)
    assert result == value
    assert str(result) == str(value)


@pytest.mark.parametrize(
    ("cell", "whole", "message"),
    [
        ("two", True, "quantity 'two' is not a number"),
        ("", True, "quantity is empty"),
        ("1.5", True, "quantity '1.5' is not a whole number"),
        ("0", True, "quantity is 0"),
        ("-1", True, "quantity '-1' is negative"),
        ("1e3", False, "quantity '1e3' is not a number"),
        ("99999999999", True, "too large"),
    ],
)
def test_quantities_refused_with_a_reason(cell, whole, message):
    with pytest.raises(CellError, match=message):
        quantity(cell, whole=whole)


@given(st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=3))
def test_exact_keeps_the_value_and_never_uses_an_exponent(value):
    assert exact(value) == value
    assert "E" not in str(exact(value))


def test_names_fold_whitespace_and_keep_accents_and_apostrophes():
    assert text("  Zoë\n O'Brien\t") == "Zoë O'Brien"
    assert text("Franc\u0327ois") == "François"  # composed, so it matches the typed name
    assert text(" \n ") is None


def test_zip_and_phone_lose_shopifys_apostrophe_only():
    assert code("'03801") == "03801"
    assert code("'+16035550142") == "+16035550142"
    assert code("O'Neill Road") == "O'Neill Road"


def test_dates_as_the_platforms_write_them():
    assert timestamp("2026-10-01 09:58:12 -0400") == datetime(
        2026, 10, 1, 9, 58, 12, tzinfo=timezone(timedelta(hours=-4))
    )
    assert timestamp("2026-10-01 09:58 +0530") == datetime(
        2026, 10, 1, 9, 58, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert timestamp("2026-10-01T09:58:12Z") == datetime(2026, 10, 1, 9, 58, 12, tzinfo=UTC)
    assert us_date("10/03/26") == date(2026, 10, 3)
    assert us_date("10/03/2026") == date(2026, 10, 3)
    assert day_and_time("2026-07-18", "12:59:30") == (date(2026, 7, 18), datetime(2026, 7, 18, 12, 59, 30))
    assert iso_date("2027-03-31") == date(2027, 3, 31)
    assert timestamp("") is None and us_date("") is None and iso_date("") is None


@pytest.mark.parametrize(
    ("parse", "cell", "message"),
    [
        (timestamp, "yesterday", "date 'yesterday' is not a date and time"),
        (timestamp, "2026-02-30 10:01:55 -0400", "is not a date and time"),
        (us_date, "13/31/26", "date '13/31/26' is not a date"),
        (iso_date, "31/10/2027", "write it as YYYY-MM-DD"),
    ],
)
def test_bad_dates(parse, cell, message):
    with pytest.raises(CellError, match=message):
        parse(cell)
