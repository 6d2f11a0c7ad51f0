"""Turn whatever a scanner (or a person) sent into clean text before anything interprets it.

Scanners add AIM symbology identifiers (`]C1`), send GS as the GS1 field separator (or a
configured stand-in such as `|`), and may send stray control characters; a terminal would act
on an ESC sequence, so every control character except GS goes before the text is used or shown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GS = "\x1d"
MAX_SCAN_CHARS = 7100
"""The most a scan can be: 7,089 characters (a QR code full of digits) and a scanner's prefix and
suffix. Anything longer was not scanned, and is refused before any work is done on it."""
_AIM = re.compile(r"\][A-Za-z][0-9]")
# AIM identifiers of symbologies whose data is a GS1 element string (FNC1 in first position).
GS1_SYMBOLOGIES = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})


@dataclass(frozen=True)
class CleanScan:
    text: str
    """Printable text; GS is the only control character left (between GS1 fields)."""
    symbology: str | None
    """The AIM symbology identifier the scanner sent (`]C1`, `]E0`, ...), if any."""

    @property
    def is_gs1(self) -> bool:
        """The scanner said this came from a GS1 symbol (GS1-128, GS1 DataMatrix, GS1 QR...)."""
        return self.symbology in GS1_SYMBOLOGIES


def _keep(char: str) -> bool:
    return char == GS or not unicodedata.category(char).startswith("C")


def clean_scan(raw: str, separator: str = GS) -> CleanScan:
    """Never raises: any str goes in, a CleanScan comes out."""
    text = raw.replace(separator, GS) if separator else raw
    text = "".join(filter(_keep, text)).strip()
    symbology = None
    match = _AIM.match(text)
    if match:
        symbology = match.group()
        text = text[match.end() :].strip()
    return CleanScan(text=text, symbology=symbology)


def printable(text: str) -> str:
    """For messages: GS shown as <GS>, nothing a terminal could act on."""
    return "".join(c if _keep(c) else "" for c in text).replace(GS, "<GS>")
