"""Reporting deadlines of serious complaints: 20 calendar days (EU), 15 business days (US MoCRA)."""

from datetime import date, timedelta

import pytest

from tui.compliance.deadlines import Deadline, add_business_days, reporting_deadlines

# 2026-03-02 is a Monday.
MONDAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (MONDAY, 0, MONDAY),
        (MONDAY, 1, date(2026, 3, 3)),
        (MONDAY, 4, date(2026, 3, 6)),  # Friday
        (MONDAY, 5, date(2026, 3, 9)),  # over the weekend to Monday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday + 1 = Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # received Saturday: Monday is day 1
        (date(2026, 3, 8), 5, date(2026, 3, 13)),  # received Sunday: Friday is day 5
        (MONDAY, 15, date(2026, 3, 23)),  # three whole weeks
        (date(2026, 3, 6), 15, date(2026, 3, 27)),
        (date(2026, 12, 18), 15, date(2027, 1, 8)),  # Christmas and New Year are counted (no holidays)
    ],
)
def test_business_days_skip_weekends_only(start, days, due) -> None:
    assert add_business_days(start, days) == due


def test_business_days_never_land_on_a_weekend() -> None:
    for offset in range(14):
        for days in range(1, 20):
            assert add_business_days(MONDAY + timedelta(days=offset), days).weekday() < 5


def test_negative_business_days_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        add_business_days(MONDAY, -1)


def test_serious_complaints_have_an_eu_and_a_us_deadline() -> None:
    eu, us = reporting_deadlines(date(2026, 3, 6), serious=True)
    assert (eu.market, eu.due) == ("EU", date(2026, 3, 26))  # 20 calendar days, weekend or not
    assert (us.market, us.due) == ("US", date(2026, 3, 27))
    assert "20 calendar days" in eu.rule and "15 business days" in us.rule


def test_a_complaint_that_is_not_serious_has_no_deadline() -> None:
    assert reporting_deadlines(MONDAY, serious=False) == ()


def test_deadlines_are_values() -> None:
    assert reporting_deadlines(MONDAY, serious=True)[0] == Deadline(
        "EU", "serious undesirable effect: 20 calendar days", date(2026, 3, 22)
    )
