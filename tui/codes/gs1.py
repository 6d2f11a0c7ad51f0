"""GS1 element strings and Digital Link URIs: read what a scan says, and build our own payloads.

biip does the parsing; this module adds what a workbench needs on top: our own GTIN check
(with the expected digit in the message), a warning when a missing separator made the batch
swallow the fields after it, and plain-language problems instead of exceptions (gs1_words).
Text longer than any barcode is not parsed at all: biip's time grows faster than its length.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from tui.codes.gs1_words import explain
from tui.codes.gtin import is_gtin, parse_gtin
from tui.codes.scan import GS, MAX_SCAN_CHARS, clean_scan, printable
from tui.errors import InvalidInput

if TYPE_CHECKING:
    from biip import ParseConfig
    from biip.gs1_element_strings import GS1ElementString


@cache
def _config() -> ParseConfig:
    """biip is imported on the first GS1 scan: a lot code or a command never needs it."""
    from biip import ParseConfig

    return ParseConfig(separator_chars=(GS,))


_DATE_AIS = ("11", "13", "15", "16", "17")
_HRI_START = re.compile(r"\(\d{2,4}\)")
_DOMAIN = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~-]+)*")
# GS1 character set 82 without the parentheses, which would make the HRI form ambiguous.
_BATCH_CHARS = frozenset(string.ascii_letters + string.digits + "!\"%&'*+,-./:;<=>?_")
_BATCH_MAX = 20


@dataclass(frozen=True)
class Gs1Data:
    """What a GS1 scan says; `problems` lists what could not be trusted, for the person to see."""

    gtin14: str | None = None
    batch: str | None = None
    expiry: date | None = None
    best_before: date | None = None
    production_date: date | None = None
    serial: str | None = None
    count: int | None = None
    """(37) count of trade items, else (30) variable count."""
    net_weight_kg: Decimal | None = None
    digital_link: bool = False
    problems: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        parts = [
            f"{label} {value}"
            for label, value in (
                ("GTIN", self.gtin14),
                ("batch", self.batch),
                ("expiry", self.expiry),
                ("best before", self.best_before),
                ("made", self.production_date),
                ("serial", self.serial),
                ("count", self.count),
                ("net weight (kg)", self.net_weight_kg),
            )
            if value is not None
        ]
        head = "GS1 Digital Link" if self.digital_link else "GS1"
        text = f"{head}: {', '.join(parts) or 'nothing usable'}"
        return "; ".join([text, *self.problems])


def _problem(text: str) -> Gs1Data:
    return Gs1Data(problems=(printable(text),))


def _swallowed(label: str, value: str) -> str | None:
    """A variable-length value that ends in a valid date or GTIN field lost its separator."""
    from biip import ParseError
    from biip.gs1_messages import GS1Message

    for i in range(1, len(value) - 7):
        if value[i : i + 2] not in (*_DATE_AIS, "01"):
            continue
        try:
            tail = GS1Message.parse(value[i:], config=_config())
        except (ParseError, ValueError):
            continue
        first = tail.element_strings[0]
        if first.date is not None or first.gtin is not None:
            return (
                f"the {label} {value!r} seems to contain more fields ({tail.as_hri()}): "
                "the scanner sent no separator after it. Set the scanner to send GS (Ctrl+]) "
                "or set codes.gs1_separator to what it sends, then scan again"
            )
    return None


def _collect(elements: list[GS1ElementString], digital_link: bool) -> Gs1Data:
    found: dict[str, object] = {"digital_link": digital_link}
    problems: list[str] = []
    for element in elements:
        ai, value = element.ai.ai, element.value
        if ai == "01":
            try:
                found["gtin14"] = parse_gtin(value).gtin14
            except InvalidInput as exc:
                problems.append(f"GTIN {exc.message}")
        elif ai in ("10", "21"):
            label = "batch" if ai == "10" else "serial"
            found[label] = value
            problems.extend(p for p in [_swallowed(label, value)] if p)
        elif ai in ("11", "15", "17"):
            key = {"11": "production_date", "15": "best_before", "17": "expiry"}[ai]
            found[key] = element.date
        elif ai == "37" or (ai == "30" and "count" not in found):
            if value.isascii() and value.isdigit():
                found["count"] = int(value)
            else:
                problems.append(f"count ({ai}) {value!r} is not a number")
        elif ai.startswith("310"):
            found["net_weight_kg"] = element.decimal
    return Gs1Data(**found, problems=tuple(printable(p) for p in problems))  # type: ignore[arg-type]


def parse_gs1(text: str, separator: str = GS) -> Gs1Data | None:
    """Read a GS1 element string (raw or `(01)...` form) or Digital Link URI; never raises.

    None means "not GS1 at all". A bare GTIN is not GS1 here (see `gtin.parse_gtin`); digits
    that merely happen to parse as AIs count only when they start with (01), or when the
    scanner flagged a GS1 symbology or sent a separator.
    """
    if len(text) > MAX_SCAN_CHARS:
        return None
    from biip import ParseError
    from biip.gs1_digital_link_uris import GS1DigitalLinkURI
    from biip.gs1_messages import GS1Message

    scan = clean_scan(text, separator)
    body = scan.text
    if body.lower().startswith(("http://", "https://")):
        try:
            uri = GS1DigitalLinkURI.parse(body, config=_config())
        except (ParseError, ValueError) as exc:
            return _problem(f"not a valid GS1 Digital Link: {explain(str(exc))}") if "/01/" in body else None
        return _collect(uri.element_strings, digital_link=True)
    if _HRI_START.match(body):
        try:
            message = GS1Message.parse_hri(body, config=_config())
        except (ParseError, ValueError) as exc:
            return _problem(f"not a valid GS1 code: {explain(str(exc))}")
        return _collect(message.element_strings, digital_link=False)
    hinted = scan.is_gs1 or GS in body
    if not body or (not hinted and is_gtin(body)):
        return None
    try:
        message = GS1Message.parse(body, config=_config())
    except (ParseError, ValueError) as exc:
        return _problem(f"not a valid GS1 code: {explain(str(exc))}") if hinted else None
    if not hinted and message.element_strings[0].ai.ai != "01":
        return None
    return _collect(message.element_strings, digital_link=False)


@dataclass(frozen=True)
class ElementString:
    """One GS1 payload in the two forms symbols need."""

    hri: str
    """Human-readable form, `(01)...(17)...(10)...`; GS1 DataMatrix is made from this."""
    raw: str
    """Transmitted form: GS after every variable-length field but the last (FNC1 in GS1-128)."""


def check_batch(batch: str) -> str:
    """A batch/lot value that every GS1 symbol and Digital Link can carry unchanged."""
    bad = sorted({c for c in batch if c not in _BATCH_CHARS})
    if not batch or len(batch) > _BATCH_MAX or bad:
        why = f" (not allowed: {printable(''.join(bad))!r})" if bad else ""
        raise InvalidInput(
            f"lot {printable(batch)!r} cannot go into a GS1 code{why}: use 1 to 20 letters, "
            "digits and - . / _ (no spaces)"
        )
    return batch


def element_string(
    gtin14: str,
    batch: str | None = None,
    expiry: date | None = None,
    *,
    best_before: date | None = None,
) -> ElementString:
    """Fixed-length fields first, batch last, as GS1 recommends (fewer separators)."""
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier

    fields = [("01", parse_gtin(gtin14).gtin14)]
    fields += [(ai, d.strftime("%y%m%d")) for ai, d in (("17", expiry), ("15", best_before)) if d]
    if batch is not None:
        fields.append(("10", check_batch(batch)))
    hri = "".join(f"({ai}){value}" for ai, value in fields)
    raw = ""
    for index, (ai, value) in enumerate(fields):
        variable = GS1ApplicationIdentifier.extract(ai).separator_required
        raw += ai + value + (GS if variable and index < len(fields) - 1 else "")
    return ElementString(hri=hri, raw=raw)


def digital_link_uri(domain: str, gtin14: str, lot: str | None = None) -> str:
    """`https://{domain}/01/{gtin14}/10/{lot}`, the lot percent-encoded."""
    host = re.sub(r"^https?://", "", domain.strip(), flags=re.IGNORECASE).rstrip("/")
    if not _DOMAIN.fullmatch(host):
        raise InvalidInput(
            f"{printable(domain)!r} is not a resolver domain: set codes.digital_link_domain "
            "to a host name such as id.example.com"
        )
    uri = f"https://{host}/01/{parse_gtin(gtin14).gtin14}"
    if lot is not None:
        uri += f"/10/{quote(check_batch(lot), safe='')}"
    return uri
