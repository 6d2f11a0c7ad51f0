"""Dates as people type them at the bench: the field's hint and its error name the same forms.

Always understood: YYYYMMDD (what a keypad types fastest, and what GS1 dates look like with the
century) and YYYY-MM-DD. Dates with dots or slashes follow the station's order: day first
(31.12.2027, 31/12/2027) or, where people write the month first, month first (12/31/2027). The
order comes from the config, else from the locale (`order_from_locale`), never guessed per date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Literal

from tui.errors import InvalidInput

DateOrder = Literal["dmy", "mdy"]

MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "GU", "PR", "AS", "VI", "UM"})
"""Countries whose people write the month first (12/31/2027)."""

_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LOCAL = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def order_from_locale(env: Mapping[str, str]) -> DateOrder:
    """The order of the locale people set (LC_ALL, then LC_TIME, then LANG), e.g. `en_US.UTF-8`."""
    name = next((env[key] for key in ("LC_ALL", "LC_TIME", "LANG") if env.get(key)), "")
    country = name.split(".")[0].split("@")[0].partition("_")[2].upper()
    return "mdy" if country in MONTH_FIRST else "dmy"


def formats(order: DateOrder | None) -> str:
    """The forms a date field takes, as its hint and its error say them."""
    local = {"dmy": "DD.MM.YYYY", "mdy": "MM/DD/YYYY", None: ""}[order]
    return f"YYYYMMDD, YYYY-MM-DD or {local}" if local else "YYYY-MM-DD or YYYYMMDD"


def read_date(text: str, order: DateOrder | None = None, what: str = "date") -> date:
    """A typed date; `order` None takes only the two forms that need no order."""
    typed = text.strip()
    parts: tuple[str, str, str] | None = None
    if match := _COMPACT.fullmatch(typed) or _ISO.fullmatch(typed):
        parts = (match[1], match[2], match[3])
    elif order is not None and (match := _LOCAL.fullmatch(typed)):
        first, second, year = match[1], match[2], match[3]
        parts = (year, second, first) if order == "dmy" else (year, first, second)
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise InvalidInput(f"{what} {text.strip()!r} is not a date: type it as {formats(order)}") from None
