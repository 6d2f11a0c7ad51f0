"""What is wrong with a GS1 scan, in words a maker can act on.

biip explains a refusal with its own regular expressions ("Failed to match '10a b' with GS1 AI
(10) pattern '^10([!%-?A-Z_a-z\\x22]{1,20})$'"). This turns each kind of refusal into a sentence
naming the field by what it means and saying what it may hold; anything unrecognised keeps only
biip's first words, never a pattern.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.codes.scan import printable

if TYPE_CHECKING:
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier

_NO_MATCH = re.compile(r"Failed to match '(?P<value>.*)' with GS1 AI \((?P<ai>\d+)\) pattern", re.DOTALL)
_BAD_DATE = re.compile(r"Failed to parse GS1 AI \((?P<ai>\d+)\) date/time from '(?P<value>.*)'", re.DOTALL)
_NO_AI = re.compile(r"Failed to get GS1 Application Identifier from '(?P<value>.*)'", re.DOTALL)
_UNKNOWN_AI = re.compile(r"Unknown GS1 Application Identifier '(?P<ai>\d+)'")
_NONE_FOUND = re.compile(r"Could not find any GS1 Application Identifiers")
_CHECK_DIGIT = re.compile(
    r"Invalid GTIN check digit for '(?P<value>\d+)': Expected (?P<want>\d), got (?P<got>\d)"
)
_LINK = re.compile(r"Expected (a primary identifier|even number of path segments|URI|one of)|qualifier")
_PART = re.compile(r"(?P<kind>[NXYZ])(?P<upto>\.\.)?(?P<count>\d+)")
_TEXT = "letters, digits or - . / _ and a few other symbols (no spaces, no accents)"


def _field(ai: str) -> tuple[str, GS1ApplicationIdentifier | None]:
    """`the batch or lot number (10)`, and the AI's description if biip knows it."""
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier  # only on a GS1 problem

    try:
        known = GS1ApplicationIdentifier.extract(ai)
    except Exception:
        return f"field ({ai})", None
    if f"({known.data_title})" in known.description:  # "Global Trade Item Number (GTIN)"
        return f"the {known.data_title} ({ai})", known
    name = re.sub(r"\s*\([^)]*\)", "", known.description).strip() or known.data_title
    return f"the {name[0].lower()}{name[1:]} ({ai})", known


def _rule(known: GS1ApplicationIdentifier) -> str:
    """What the field may hold, from its GS1 format (`N2+X..20`: up to 20 characters)."""
    if "YYMMDD" in known.description:
        return "a date written YYMMDD, e.g. 261231 for 31 December 2026"
    data = known.format.split("+", 1)[1] if "+" in known.format else known.format
    parts = []
    for part in _PART.finditer(data.split("[", 1)[0]):
        count, upto = int(part["count"]), bool(part["upto"])
        if part["kind"] == "N":
            parts.append(f"{'up to ' if upto else ''}{count} digit{'s' if count > 1 else ''}")
        else:
            parts.append(f"{'1 to ' if upto else ''}{count} {_TEXT}")
    return " then ".join(parts) or "what GS1 defines for it"


def explain(message: str) -> str:
    """biip's reason for refusing a scan, as a sentence without regular expressions."""
    if found := _NO_MATCH.match(message):
        label, known = _field(found["ai"])
        data = found["value"][len(found["ai"]) :]
        if known is None:
            return f"{label} {printable(data)!r} is not valid"
        return f"{label} {printable(data)!r} is not valid: it must be {_rule(known)}"
    if found := _BAD_DATE.match(message):
        label, _ = _field(found["ai"])
        return f"{label} {printable(found['value'])!r} is not a real date (YYMMDD, e.g. 261231)"
    if found := _NO_AI.match(message):
        return (
            f"{printable(found['value'])!r} does not start with a GS1 field number: the code is damaged, "
            "or the scanner left out a separator; scan it again"
        )
    if found := _UNKNOWN_AI.search(message):
        return f"({found['ai']}) is not a GS1 field number: the code is damaged or not GS1; scan it again"
    if _NONE_FOUND.search(message):
        return "no GS1 fields in it: the code is damaged or not GS1; scan it again"
    if found := _CHECK_DIGIT.search(message):
        return f"GTIN {found['value']} has a wrong check digit (it should be {found['want']}): scan it again"
    if _LINK.search(message):
        return "the web address is not a GS1 Digital Link (it needs /01/ and a GTIN): scan it again"
    first = re.split(r"(?<=[.:])\s| pattern ", message, maxsplit=1)[0]
    return printable(first.rstrip(".:"))
