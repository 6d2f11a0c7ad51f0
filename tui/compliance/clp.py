"""A scented candle's hazard block, taken from its fragrance supplier's data, and the candle
fire-safety warning.

CLP 1272/2008 Art. 17(1): a hazardous mixture's label carries the supplier's name, address and
telephone number, the nominal quantity (for the general public), product identifiers ("Contains
..."), pictograms, signal word, hazard and precautionary statements; Art. 25(7) and Annex VIII add
the UFI for mixtures classified for health or physical hazards. Art. 31: the elements stand out
clearly, in the shape, colour and size of Annex I 1.2.1. Art. 32: pictograms, signal word and
statements stand together. Annex I 1.2.1: each pictogram a square set on its point, black
symbol on white in a red frame, covering at least 1/15 of the label area the Art. 17 information
needs (at least 52 x 74 mm where possible for packs up to 3 litres, so at most 16 x 16 mm is
asked), and never under 1 cm2 (10 x 10 mm). Regulation (EU) 2024/2865 adds, from 1 January 2028
(postponed by the 2025 "stop-the-clock" act), an x-height of at least 1.2 mm for packs up to
0.5 litres: we print the block at that size already.

Lotkeeper never classifies: the candle uses the data its fragrance's supplier states for a
fragrance load, the recipe's own load or the next higher one stated (a label worked out for a
stronger candle covers a weaker one); with no such data, or with several fragrances (a blend
needs its own data), the label is refused.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from decimal import Decimal

from tui.compliance.model import ClpData, Component, Missing

PICTOGRAMS = tuple(f"GHS0{n}" for n in range(1, 10))
SIGNAL_WORDS = ("Warning", "Danger")
CLP_TEXT_X_HEIGHT_MM = 1.2
CLP_LABEL_MM = (52, 74)
"""Label size asked for where possible for packs up to 3 litres (CLP Annex I, Table 1.3)."""
PICTOGRAM_MIN_MM = 10.0
FIRE_SAFETY = (
    "Never leave a burning candle unattended.",
    "Burn out of reach of children and pets.",
    "Do not burn on or near anything that can catch fire.",
)
"""The three safety messages EN 15494:2019 makes mandatory on every candle, as text."""


def pictogram_min_mm(label_area_mm2: float) -> float:
    """Side of a pictogram's diamond: 1/15 of the label's area (capped at the 52 x 74 mm the rule
    asks for), and never under 10 mm."""
    area = min(label_area_mm2, CLP_LABEL_MM[0] * CLP_LABEL_MM[1])
    return max(PICTOGRAM_MIN_MM, math.sqrt(area / 15))


def needs_ufi(data: ClpData) -> bool:
    """Health (H3xx) and physical (H2xx) hazards need a UFI on the label; environmental ones do not."""
    return any(h.strip()[:2].upper() in ("H2", "H3") for h in data.hazards)


@dataclass(frozen=True)
class HazardBlock:
    data: ClpData | None
    """None: no fragrance, or one the supplier states is not classified at this load."""
    missing: tuple[Missing, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        if self.data is None:
            return {}
        d = self.data
        parts = [f"Contains {', '.join(d.contains)}."] if d.contains else []
        fields = {"hazards": " ".join([*parts, *d.hazards, *d.precautions])}
        if d.signal_word:
            fields["signal_word"] = d.signal_word
        if d.ufi:
            fields["ufi"] = f"UFI: {d.ufi}"
        return fields


def _percent(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.1")).normalize(), "f")


def _check(sku: str, fragrance: str, data: ClpData) -> list[Missing]:
    problems = []
    for code in data.pictograms:
        if code not in PICTOGRAMS:
            problems.append(f"{code!r} is not a CLP pictogram (use GHS01 ... GHS09)")
    if data.signal_word and data.signal_word not in SIGNAL_WORDS:
        problems.append(f"the signal word is {data.signal_word!r} (use Warning or Danger)")
    if data.hazardous and not data.hazards:
        problems.append("it has pictograms or a signal word but no hazard statements")
    return [
        Missing(
            "hazards", f"candle label for {sku}: the CLP data of {fragrance} at {data.load} % is wrong: {p}"
        )
        for p in problems
    ]


def hazard_block(sku: str, components: tuple[Component, ...]) -> HazardBlock:
    fragrances = [c for c in components if c.fragrance]
    if not fragrances:
        return HazardBlock(None)
    if len(fragrances) > 1:
        names = ", ".join(c.material for c in fragrances)
        why = (
            f"candle label for {sku} has {len(fragrances)} fragrances ({names}): CLP data is stated "
            "per fragrance, and Lotkeeper does not classify a blend; ask the supplier for the blend's "
            "data and record the blend as one fragrance material"
        )
        return HazardBlock(None, (Missing("hazards", why),))
    fragrance = fragrances[0]
    total = sum((c.weight for c in components), Decimal(0))
    load = fragrance.weight * 100 / total
    covering = sorted((d for d in fragrance.clp if d.load >= load), key=lambda d: d.load)
    if not covering:
        stated = ", ".join(f"{_percent(d.load)} %" for d in sorted(fragrance.clp, key=lambda d: d.load))
        why = (
            f"candle label for {sku} needs the CLP data of {fragrance.material} at "
            f"{_percent(load)} % (the recipe's load"
            + (f"; data is stated for {stated}" if stated else "")
            + f"): set it from the supplier's safety data sheet with material clp --load "
            f'{_percent(load)} --pictogram GHS07 --signal Warning --hazard "H317 ..." '
            f'--precaution "P280 ..." {shlex.quote(fragrance.material)}'
        )
        return HazardBlock(None, (Missing("hazards", why),))
    data = covering[0]
    notices = []
    if data.load != load:
        notices.append(
            f"the CLP data of {fragrance.material} for {_percent(data.load)} % is used (the recipe "
            f"has {_percent(load)} %)"
        )
    missing = _check(sku, fragrance.material, data)
    if not data.hazardous:
        notices.append(f"{fragrance.material} at {_percent(data.load)} % is not classified: no hazard block")
        return HazardBlock(None, tuple(missing), tuple(notices))
    if needs_ufi(data) and not data.ufi:
        missing.append(
            Missing(
                "ufi",
                f"candle label for {sku} needs a UFI (its hazards include health or physical ones, "
                f"CLP Annex VIII): set it with material clp --load {_percent(data.load)} --ufi "
                f"XXXX-XXXX-XXXX-XXXX {shlex.quote(fragrance.material)}",
            )
        )
    return HazardBlock(data, tuple(missing), tuple(notices))
