"""Typed dates: the forms a field names in its hint are the forms it takes, in the station's order."""

from datetime import date

import pytest

from tui.codes.dates import formats, order_from_locale, read_date
from tui.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "order", "expected"),
    [
        ("20271231", None, date(2027, 12, 31)),
        ("2027-12-31", None, date(2027, 12, 31)),
        (" 2027-1-5 ", "dmy", date(2027, 1, 5)),
        ("31.12.2027", "dmy", date(2027, 12, 31)),
        ("5/1/2027", "dmy", date(2027, 1, 5)),
        ("5/1/2027", "mdy", date(2027, 5, 1)),
        ("12/31/2027", "mdy", date(2027, 12, 31)),
    ],
)
def test_dates_are_read_in_the_order_given(typed, order, expected) -> None:
    assert read_date(typed, order) == expected


@pytest.mark.parametrize(
    ("typed", "order"),
    [
        ("31.12.2027", None),
        ("12/31/2027", "dmy"),
        ("31.13.2027", "dmy"),
        ("2027-02-30", None),
        ("soon", "mdy"),
    ],
)
def test_a_date_that_is_not_one_names_the_forms_the_hint_names(typed, order) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_date(typed, order, "expiry date")
    assert refused.value.message == f"expiry date {typed!r} is not a date: type it as {formats(order)}"


def test_the_order_follows_the_locale_people_set() -> None:
    assert order_from_locale({"LANG": "en_US.UTF-8"}) == "mdy"
    assert order_from_locale({"LANG": "en_US.UTF-8", "LC_TIME": "en_GB.UTF-8"}) == "dmy"
    assert order_from_locale({"LC_ALL": "de_DE@euro", "LANG": "en_US"}) == "dmy"
    assert order_from_locale({}) == "dmy"
    assert formats("dmy") == "YYYYMMDD, YYYY-MM-DD or DD.MM.YYYY"
