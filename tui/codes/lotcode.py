"""Lot codes from a configurable template, e.g. `M{yy}{mm}{dd}-{seq:03}` -> `M261109-001`.

A code is made of the date, an abbreviation and a per-key sequence number. The store keeps one
counter per `sequence_key` (the code with the sequence blanked), so a code is never issued
twice, even after its lot was deleted. Codes use only A-Z, 0-9 and '-': safe in Code128, in
URLs, and when typed on a numeric keypad plus letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from tui.codes.scan import printable
from tui.codes.sku import initials, words
from tui.errors import InvalidInput

FIELDS = ("yyyy", "yy", "mm", "dd", "doy", "seq", "abbr")
_TOKEN = re.compile(r"\{([^{}]*)\}")
_FIELD = re.compile(r"([a-z]+)(?::(\d{1,2}))?")
_LITERAL = re.compile(r"[A-Za-z0-9-]*")
SEQ_MARK = "#"
"""Stands for the sequence number in a `sequence_key` (never part of a real code)."""


@dataclass(frozen=True)
class _Field:
    name: str
    size: int | None


_Part = str | _Field


def _bad(template: str, why: str) -> InvalidInput:
    return InvalidInput(
        f"lot code template {printable(template)!r} {why}. Fields: "
        "{yyyy} {yy} {mm} {dd} {doy} {seq:N} {abbr}; other text: letters, digits and '-'"
    )


@lru_cache(maxsize=64)
def _parse(template: str) -> tuple[_Part, ...]:
    parts: list[_Part] = []
    pos = 0
    for token in [*_TOKEN.finditer(template), None]:
        literal = template[pos : token.start() if token else len(template)]
        if not _LITERAL.fullmatch(literal):
            raise _bad(template, f"has {literal!r}, which cannot go into a lot code")
        if literal:
            parts.append(literal.upper())
        if token is None:
            break
        field = _FIELD.fullmatch(token.group(1))
        if field is None or field.group(1) not in FIELDS:
            raise _bad(template, f"has an unknown field {token.group()}")
        size = field.group(2)
        if size is not None and field.group(1) not in ("seq", "abbr"):
            raise _bad(template, f"gives a width to {token.group()}; only seq and abbr take one")
        parts.append(_Field(field.group(1), int(size) if size else None))
        pos = token.end()
    if sum(isinstance(p, _Field) and p.name == "seq" for p in parts) != 1:
        raise _bad(template, "needs exactly one {seq} (e.g. {seq:03}) so codes stay unique")
    return tuple(parts)


def validate_template(template: str) -> None:
    """Raise InvalidInput naming what is wrong; used when the config is loaded or edited."""
    _parse(template)


def sanitize_abbr(abbr: str) -> str:
    """Upper-case A-Z/0-9 only (`Crème-12` -> `CREME12`)."""
    return "".join(words(abbr))


def abbreviate(name: str, length: int = 4) -> str:
    """A short code for a product or material name: "Olive Oil" -> "OLOI" (see sku.initials)."""
    return initials(name, length)


def _render(template: str, day: date, seq: str, abbr: str) -> str:
    clean = sanitize_abbr(abbr)
    out = []
    for part in _parse(template):
        if isinstance(part, str):
            out.append(part)
        elif part.name == "seq":
            out.append(seq.zfill(part.size or 0) if seq != SEQ_MARK else SEQ_MARK)
        elif part.name == "abbr":
            if not clean:
                raise InvalidInput(
                    f"the lot code needs an abbreviation, and {printable(abbr)!r} has no "
                    "letters or digits: give the product or material a short code"
                )
            out.append(clean[: part.size] if part.size else clean)
        else:
            values = {
                "yyyy": f"{day.year:04d}",
                "yy": f"{day.year % 100:02d}",
                "mm": f"{day.month:02d}",
                "dd": f"{day.day:02d}",
                "doy": f"{day.timetuple().tm_yday:03d}",
            }
            out.append(values[part.name])
    return "".join(out)


def render_lot_code(template: str, day: date, seq: int, abbr: str = "") -> str:
    if seq < 1:
        raise InvalidInput(f"lot sequence numbers start at 1, not {seq}")
    return _render(template, day, str(seq), abbr)


def sequence_key(template: str, day: date, abbr: str = "") -> str:
    """The code with the sequence replaced by `#`: one store counter per key."""
    return _render(template, day, SEQ_MARK, abbr)
