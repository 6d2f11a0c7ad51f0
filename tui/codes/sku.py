"""SKU rules: normalise what is typed or scanned, explain the rule when it does not fit, and
suggest an SKU from a product name so a maker does not have to invent one.
"""

from __future__ import annotations

import re
import unicodedata

from tui.codes.scan import printable
from tui.errors import InvalidInput

_CLASS_WORDS = {"A-Z": "capital letters", "a-z": "small letters", "0-9": "digits"}
_PIECE = re.compile(r"\[([^\]^]+)\](\{(\d+)(,(\d+))?\}|[+*?])?")
_FIELD = re.compile(r"\{([a-z]+)(?::(\d+))?\}")


def words(text: str) -> list[str]:
    """Upper-case ASCII words of letters and digits (accents dropped: `Crème` -> `CREME`, `ß` -> `SS`)."""
    ascii_text = unicodedata.normalize("NFKD", text.upper()).encode("ascii", "ignore").decode()
    return re.findall(r"[A-Z0-9]+", ascii_text)


def initials(text: str, length: int) -> str:
    """Up to `length` characters that still show every word: one letter per word in turn.

    "Lavender Oat Soap", 4 -> LAOS (L, O, S, then the second letter of Lavender);
    "Unscented", 4 -> UNSC; "100g", 3 -> 100. Words past `length` are dropped.
    """
    parts = words(text)[:length]
    taken = [0] * len(parts)
    budget = min(length, sum(len(p) for p in parts))
    while budget:
        for i, part in enumerate(parts):
            if budget and taken[i] < len(part):
                taken[i] += 1
                budget -= 1
    return "".join(part[:n] for part, n in zip(parts, taken, strict=True))


def _describe_class(body: str) -> str | None:
    if re.search(r"\\[A-Za-z]", body):
        return None
    names = []
    for rng in ("A-Z", "a-z", "0-9"):
        if rng in body:
            names.append(_CLASS_WORDS[rng])
            body = body.replace(rng, "")
    names += [repr(c) for c in body.replace("\\", "")]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def _describe_count(quant: str | None, low: str | None, high: str | None) -> str:
    if quant is None or quant in "+*?":
        return {
            None: "1 character",
            "+": "1 or more characters",
            "*": "any number of characters",
            "?": "an optional character",
        }[quant]
    if high is None:
        return f"{low} characters"
    return f"{low} to {high} characters"


def describe_pattern(pattern: str) -> str:
    """Plain words for simple patterns like `^[A-Z0-9][A-Z0-9-]{1,31}$`; others are quoted."""
    fallback = f"it must match the pattern {pattern}"
    body = pattern.removeprefix("^").removesuffix("$")
    pieces, pos = [], 0
    for match in _PIECE.finditer(body):
        chars, quant, low, _, high = match.groups()
        classes = _describe_class(chars)
        if match.start() != pos or classes is None:
            return fallback
        pos = match.end()
        pieces.append(f"{_describe_count(quant, low, high)} ({classes})")
    if pos != len(body) or not pieces:
        return fallback
    return ", then ".join(pieces)


def check_pattern(pattern: str) -> None:
    """The SKU rule must be a regular expression Python can use."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise InvalidInput(f"{printable(pattern)!r} is not a valid pattern ({exc}): fix it") from None


def normalise_sku(text: str, pattern: str, uppercase: bool = True) -> str:
    """Trim (and upper-case) so a scanned and a typed SKU agree, then check the configured rule."""
    sku = text.strip()
    if uppercase:
        sku = sku.upper()
    if not sku:
        raise InvalidInput("no SKU given: type or scan the product's SKU")
    try:
        fits = re.fullmatch(pattern, sku) is not None
    except re.error as exc:
        raise InvalidInput(f"codes.sku_pattern is not a valid pattern ({exc}): fix it") from exc
    if not fits:
        raise InvalidInput(f"SKU {printable(sku)!r} does not fit the SKU rule: {describe_pattern(pattern)}")
    return sku


def suggest_sku(name: str, variant: str, template: str) -> str:
    """Fill `{name:N}` / `{variant:N}` with `initials(..., N)` (no N: all the words' letters).

    "Lavender Oat Soap", "100g", "{name:4}-{variant:3}" -> "LAOS-100". A missing variant
    leaves no stray dash behind.
    """
    values = {"name": name, "variant": variant}

    def fill(match: re.Match[str]) -> str:
        field, size = match.group(1), match.group(2)
        if field not in values:
            raise InvalidInput(
                f"codes.sku_template has an unknown field {{{field}}}: use {{name:N}} or {{variant:N}}"
            )
        text = values[field]
        return initials(text, int(size)) if size else "".join(words(text))

    filled = _FIELD.sub(fill, template).upper()
    sku = re.sub(r"-{2,}", "-", re.sub(r"[^A-Z0-9-]", "", filled)).strip("-")
    if not words(name) or not sku:
        raise InvalidInput("give the product a name with letters or digits to suggest an SKU")
    return sku
