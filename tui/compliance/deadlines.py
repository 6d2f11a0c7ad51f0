"""When a serious complaint must be reported, counted from the day the maker learned of it.

EU, Regulation 1223/2009 Art. 23 and the Commission's SUE reporting guidelines: a serious
undesirable effect is notified to the competent authority "without delay", at the latest 20
calendar days after the responsible person became aware of it.

US, FD&C Act section 605 as added by MoCRA (2022): a serious adverse event is reported to FDA
no later than 15 business days after the report was received. Business days here are Monday to
Friday: public holidays are not known to us and are counted as working days, so the date shown
is never later than the real one.

Not legal advice: the maker checks which rule applies to them (both concern cosmetics).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

EU_SUE_DAYS = 20
"""Calendar days for a serious undesirable effect (EU)."""
US_SAE_BUSINESS_DAYS = 15
"""Business days for a serious adverse event (US, MoCRA)."""


@dataclass(frozen=True)
class Deadline:
    """One market's last day to report a serious complaint."""

    market: str
    """`EU` or `US`: the JSON key, and how the alert names it."""
    rule: str
    """The rule in a few words, for the README-minded reader of `complaint list`."""
    due: date


def add_business_days(start: date, days: int) -> date:
    """The day `days` business days (Monday to Friday) after `start`; holidays are not skipped.

    A complaint received on a Saturday starts counting on Monday: Monday is business day 1.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def reporting_deadlines(aware_on: date, *, serious: bool) -> tuple[Deadline, ...]:
    """The deadlines a complaint received on `aware_on` has: none unless it is serious."""
    if not serious:
        return ()
    return (
        Deadline(
            "EU", "serious undesirable effect: 20 calendar days", aware_on + timedelta(days=EU_SUE_DAYS)
        ),
        Deadline(
            "US",
            "serious adverse event (MoCRA): 15 business days",
            add_business_days(aware_on, US_SAE_BUSINESS_DAYS),
        ),
    )
