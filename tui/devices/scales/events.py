"""What a scale hands the rest of Lotkeeper: readings, notices and status changes, as one stream."""

from __future__ import annotations

from dataclasses import dataclass

from tui.codes.units import Quantity


@dataclass(frozen=True)
class ScaleReading:
    """One weight as the scale showed it. Only `stable` readings are ever recorded."""

    source: str
    """The scale's name (`ScaleConfig.name`)."""
    quantity: Quantity
    """In the unit the scale is set to (g, kg, oz, lb, or pcs when counting)."""
    stable: bool
    protocol: str
    """`and`, `mt-sics`, `ohaus` or `plain`: configured or detected."""
    received_at: float
    """`time.monotonic()` when the line ended."""


@dataclass(frozen=True)
class ScaleNotice:
    """Something the maker should know that is not a reading: overload, an unreadable format, a
    refused tare. Told once until a good reading clears it."""

    source: str
    message: str


@dataclass(frozen=True)
class ScaleStatus:
    """The scale came (`reason`: what is read, where) or went (`reason`: why, and what to do)."""

    source: str
    connected: bool
    reason: str = ""


ScaleEvent = ScaleReading | ScaleNotice | ScaleStatus
