"""GTIN validation, normalisation and allocation.

We check digits ourselves because python-barcode silently "repairs" a wrong check digit, which
would print a label for a product that does not exist. Every form (EAN-8, UPC-A, EAN-13,
GTIN-14) is compared through its GTIN-14, so a UPC-A and its 13-digit EAN form are one item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tui.errors import InvalidInput

GtinKind = Literal["ean8", "upca", "ean13", "gtin14"]

_KINDS: dict[int, GtinKind] = {8: "ean8", 12: "upca", 13: "ean13", 14: "gtin14"}
_NAMES: dict[GtinKind, str] = {
    "ean8": "EAN-8",
    "upca": "UPC-A",
    "ean13": "EAN-13",
    "gtin14": "GTIN-14",
}
# Words in biip's prefix table that mark ranges no company can number its products from.
_NOT_FOR_PRODUCTS = ("reserved", "coupon", "gtin-8")


@dataclass(frozen=True)
class Gtin:
    digits: str
    """Exactly as scanned or typed (8, 12, 13 or 14 digits)."""
    kind: GtinKind
    gtin14: str
    """The 14-digit form: the one to store and compare."""

    @property
    def kind_name(self) -> str:
        return _NAMES[self.kind]

    def __str__(self) -> str:
        return f"{self.kind_name} {self.digits}"


def check_digit(payload: str) -> int:
    """The GS1 mod-10 check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def parse_gtin(text: str) -> Gtin:
    """Accept a GTIN in any standard length, or say exactly what is wrong with it."""
    digits = text.strip()
    shown = digits if digits.isprintable() else ascii(digits)
    if not digits:
        raise InvalidInput("no GTIN given: scan or type the 8, 12, 13 or 14 digits")
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(f"{shown}: a GTIN has digits only")
    if len(digits) not in _KINDS:
        raise InvalidInput(f"{shown}: a GTIN has 8, 12, 13 or 14 digits, not {len(digits)}")
    expected = check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise InvalidInput(f"{digits}: check digit should be {expected}, not {digits[-1]}")
    return Gtin(digits=digits, kind=_KINDS[len(digits)], gtin14=digits.zfill(14))


def is_gtin(text: str) -> bool:
    try:
        parse_gtin(text)
    except InvalidInput:
        return False
    return True


def to_ean13(text: str) -> str:
    """The 13-digit form (a UPC-A gains a leading 0); refused for a GTIN-14 with an indicator."""
    gtin14 = parse_gtin(text).gtin14
    if gtin14[0] != "0":
        raise InvalidInput(f"{gtin14} is a case-level GTIN-14: it has no EAN-13 form")
    return gtin14[1:]


def to_upca(text: str) -> str:
    """The 12-digit UPC-A form; only GTINs starting with 0 in their EAN-13 form have one."""
    gtin14 = parse_gtin(text).gtin14
    if not gtin14.startswith("00"):
        raise InvalidInput(f"{gtin14[1:]}: only an EAN-13 starting with 0 has a UPC-A form")
    return gtin14[2:]


def short_form(gtin14: str) -> str:
    """The form people know from the package: EAN-8, UPC-A, EAN-13, else the GTIN-14."""
    g = parse_gtin(gtin14).gtin14
    if g.startswith("000000"):
        return g[6:]
    if g.startswith("00"):
        return g[2:]
    if g.startswith("0"):
        return g[1:]
    return g


def _check_prefix(company_prefix: str, kind: str) -> str:
    prefix = company_prefix.strip()
    if kind not in ("ean13", "upca"):
        raise InvalidInput(f"GTIN kind {kind!r} cannot be allocated: use 'ean13' or 'upca'")
    if not prefix:
        raise InvalidInput(
            "no GS1 company prefix is configured: set codes.gs1_company_prefix "
            "to the number on your GS1 membership certificate"
        )
    if not (prefix.isascii() and prefix.isdigit() and 6 <= len(prefix) <= 11):
        raise InvalidInput(
            f"GS1 company prefix {prefix!r} must be 6 to 11 digits, as on your GS1 membership certificate"
        )
    from biip.gs1_prefixes import GS1Prefix  # its table takes ~50 ms to load: only when numbering

    owner = GS1Prefix.extract(prefix)
    usage = owner.usage if owner else "not issued by GS1"
    if (
        owner is None
        or not usage.startswith("GS1 ")
        or any(word in usage.lower() for word in _NOT_FOR_PRODUCTS)
    ):
        raise InvalidInput(
            f"{prefix} cannot number products ({usage}): "
            "check codes.gs1_company_prefix against your GS1 certificate"
        )
    if kind == "upca" and not prefix.startswith("0"):
        raise InvalidInput(
            f"company prefix {prefix} cannot make UPC-A numbers (only prefixes starting with 0 "
            'can): set codes.gtin_kind = "ean13"'
        )
    return prefix


def next_gtin(company_prefix: str, used: Iterable[str], kind: str = "ean13") -> str:
    """Company prefix + lowest unused item reference + check digit.

    `company_prefix` is written as on the GS1 certificate (13-digit form, so a US prefix starts
    with 0); a UPC-A drops that leading 0. Both forms share one GTIN-14 space, so `used` may hold
    any mix of forms, and codes that are not valid GTINs are ignored.
    """
    prefix = _check_prefix(company_prefix, kind)
    width = 12 - len(prefix)
    head = "0" + prefix
    taken: set[int] = set()
    for code in used:
        try:
            gtin14 = parse_gtin(code).gtin14
        except InvalidInput:
            continue
        if gtin14.startswith(head):
            taken.add(int(gtin14[len(head) : -1]))
    item = next(i for i in range(len(taken) + 1) if i not in taken)
    if item >= 10**width:
        raise InvalidInput(
            f"all {10**width} GTINs of company prefix {prefix} are used: "
            "ask GS1 for a longer licence or a second prefix"
        )
    payload = prefix + str(item).zfill(width)
    ean13 = payload + str(check_digit(payload))
    return ean13[1:] if kind == "upca" else ean13
