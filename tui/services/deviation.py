"""How far a batch may stray from its recipe: a recipe line whose named lots add up to more or
less than the recipe says, beyond a tolerance, is a `Deviation` that `production.make` refuses
unless it is meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tui.store.quantities import fmt_qty, to_milli

DEFAULT_TOLERANCE_PCT = 10
"""How far named amounts may stray from the recipe unless configured (`[production]`)."""


@dataclass(frozen=True)
class Deviation:
    """A recipe line whose named lots add up to more or less than the recipe says."""

    item: str
    unit: str
    planned: Decimal
    """What the recipe calls for, for the quantity made."""
    actual: Decimal
    """What the named lots add up to."""

    @property
    def percent(self) -> Decimal:
        """Signed: -50 is half of what the recipe says."""
        return ((self.actual - self.planned) * 100 / self.planned).quantize(Decimal(1), ROUND_HALF_UP)

    def describe(self) -> str:
        way = "less" if self.actual < self.planned else "more"
        return (
            f"{self.item}: {fmt_qty(to_milli(self.actual))} {self.unit} used where the recipe says "
            f"{fmt_qty(to_milli(self.planned))} {self.unit} ({abs(self.percent)} % {way})"
        )

    def to_json(self) -> dict[str, str]:
        return {
            "item": self.item,
            "unit": self.unit,
            "planned": f"{self.planned:f}",
            "actual": f"{self.actual:f}",
        }


def strays(need: int, used: int, tolerance_pct: int) -> bool:
    """More than `tolerance_pct` percent away from `need` (thousandths), either way."""
    return abs(used - need) * 100 > need * tolerance_pct
