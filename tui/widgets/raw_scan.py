"""What a scanner really sent, shown so a person setting one up can see every byte.

A scanner that adds a Tab, sends `|` instead of GS, or has AIM identifiers switched on behaves
differently from one that does not; the Devices screen shows each scan as hex and as text with
control characters drawn as their Unicode pictures (GS as ␝), names the AIM symbology, counts
the GS1 separators, and points out a prefix or suffix that every recent scan shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from biip.symbology import SymbologyIdentifier
from textual.content import Content

from tui.codes.scan import GS, clean_scan
from tui.widgets.literal import literal


def visible(text: str) -> str:
    """Control characters as their pictures (GS -> ␝, CR -> ␍, DEL -> ␡), others as U+XXXX."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("␡")
        elif 0x80 <= code < 0xA0 or (ch.isspace() and ch != " ") or not ch.isprintable():
            out.append(f"<U+{code:04X}>")
        else:
            out.append(ch)
    return "".join(out)


def hex_bytes(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").hex(" ").upper()


@dataclass(frozen=True)
class ScanInspection:
    at: datetime
    source: str
    text: str
    """The scan as the App received it (already without the configured prefix/suffix)."""
    aim: str | None
    """The AIM identifier the scan starts with (`]C1`), if any."""
    symbology: str | None
    """Its name (`GS1-128`, `EAN-13`...)."""
    separators: str
    """The GS1 field separators found: `GS x2`, `'|' x1 (configured)` or `none`."""
    resolved: str = ""
    """What the resolver made of it (filled in once known)."""

    @property
    def shown(self) -> str:
        return visible(self.text)

    @property
    def hex(self) -> str:
        return hex_bytes(self.text)


def inspect_scan(text: str, source: str, separator: str = GS, at: datetime | None = None) -> ScanInspection:
    aim = clean_scan(text, separator).symbology
    name = None
    if aim is not None:
        ident = SymbologyIdentifier.extract(text[text.index(aim) :])
        kind = ident.gs1_symbology or ident.iso_symbology
        name = kind.name.replace("_", "-") if kind else None
    found = []
    if text.count(GS):
        found.append(f"GS x{text.count(GS)}")
    if separator and separator != GS and text.count(separator):
        found.append(f"{visible(separator)!r} x{text.count(separator)} (configured)")
    return ScanInspection(
        at=at or datetime.now(),
        source=source,
        text=text,
        aim=aim,
        symbology=name,
        separators=", ".join(found) or "none",
    )


def _common_start(texts: Sequence[str]) -> str:
    first, last = min(texts), max(texts)  # the most different pair bounds the common start
    n = next(
        (i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), min(len(first), len(last))
    )
    return first[:n]


def shared_affixes(texts: Sequence[str]) -> tuple[str, str]:
    """Start and end common to at least two different scans (AIM identifiers left out)."""
    bodies = list(dict.fromkeys(clean_scan(t, "").text if t else t for t in texts))
    if len(bodies) < 2:
        return "", ""
    prefix = _common_start(bodies)
    suffix = _common_start([b[::-1] for b in bodies])[::-1]
    return prefix, suffix


def describe(scan: ScanInspection, recent: Sequence[str], settings: str) -> Content:
    """The detail panel for one scan; `recent` are the latest scans' texts from the same scanner."""
    prefix, suffix = shared_affixes(recent)
    aim = f"{scan.aim} ({scan.symbology or 'unknown symbology'})" if scan.aim else "none"
    lines = [
        f"bytes ({len(scan.text.encode('utf-8', 'surrogateescape'))}): {scan.hex}",
        f"text: {scan.shown}",
        f"AIM identifier: {aim}    GS1 separators: {scan.separators}",
        f"scanner {scan.source}: {settings}",
    ]
    if prefix or suffix:
        lines.append(
            f"the last {len(recent)} scans share start {visible(prefix)!r} and end {visible(suffix)!r}: "
            "if the scanner adds these, set prefix/suffix in its [[scanners]] entry"
        )
    lines.append(f"means: {scan.resolved or '...'}")
    return literal("\n".join(lines))
