"""The scale interface the rest of Lotkeeper uses, whatever the connection, and waiting for a weight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Protocol, runtime_checkable

from tui.codes.units import format_decimal
from tui.config import ScaleConfig
from tui.devices.scales.events import ScaleEvent, ScaleNotice, ScaleReading, ScaleStatus
from tui.errors import ConfigError, ScaleError


@runtime_checkable
class ScaleSource(Protocol):
    """A scale the app can start, stop, listen to, tare and zero."""

    name: str

    @property
    def protocol(self) -> str:
        """`and`, `mt-sics`, `ohaus`, `plain`, or empty while still detecting."""
        ...

    async def start(self) -> None:
        """Open the scale; raise `ScaleError` with a clear message when it cannot be opened."""

    async def stop(self) -> None:
        """Release the scale and end `events()`; safe to call twice or before `start()`."""

    def events(self) -> AsyncIterator[ScaleEvent]:
        """Readings, notices and status changes, in order, until `stop()`."""
        ...

    def tare(self) -> None:
        """Send the protocol's tare command, or raise `ScaleError` saying to press TARE."""

    def zero(self) -> None:
        """Send the protocol's zero command, or raise `ScaleError` saying to press ZERO."""


def make_scale(cfg: ScaleConfig) -> ScaleSource:
    """The source for one `[[scales]]` entry; the port is only touched by `start()`."""
    if cfg.kind == "serial":
        from tui.devices.scales.serial import SerialScale

        return SerialScale(cfg)
    raise ConfigError(f"scale {cfg.name!r}: unknown kind {cfg.kind!r}; use 'serial'")


def find_scale(scales: Sequence[ScaleConfig], name: str | None = None) -> ScaleConfig:
    """The named scale, or the first; a clear refusal when there is none."""
    if not scales:
        raise ConfigError("no scale is configured: add a [[scales]] entry to the config file")
    if name is None:
        return scales[0]
    for cfg in scales:
        if cfg.name == name:
            return cfg
    known = ", ".join(s.name for s in scales)
    raise ConfigError(f"no scale named {name!r} in the config (configured: {known})")


async def next_stable(source: ScaleSource, timeout_s: float, silent: str = "") -> ScaleReading:
    """The next stable reading from a started source, or a `ScaleError` that says why there was
    none in `timeout_s`: unplugged, a problem the scale reported, never settled, or silent
    (`silent` adds what to check)."""
    moving: ScaleReading | None = None
    notice: ScaleNotice | None = None
    gone: ScaleStatus | None = None
    try:
        async with asyncio.timeout(timeout_s):
            async for event in source.events():
                if isinstance(event, ScaleReading):
                    if event.stable:
                        return event
                    moving = event
                elif isinstance(event, ScaleNotice):
                    notice = event
                else:
                    gone = None if event.connected else event
    except TimeoutError:
        pass
    waited = f"{timeout_s:g} s"
    if gone is not None:
        raise ScaleError(f"{gone.reason} No weight in {waited}.")
    if notice is not None:
        raise ScaleError(f"no stable weight in {waited}: {notice.message}")
    if moving is not None:
        shown = f"{format_decimal(moving.quantity.value)} {moving.quantity.unit}"
        raise ScaleError(
            f"scale {source.name!r} gave no stable weight in {waited} (last reading {shown}, still moving): "
            "keep the pan still, or allow longer with --timeout"
        )
    raise ScaleError(f"scale {source.name!r} sent nothing in {waited}{silent}")


async def weigh_once(cfg: ScaleConfig, timeout_s: float) -> ScaleReading:
    """Open the scale, take its next stable weight, close it: `lotkeeper weigh`."""
    source = make_scale(cfg)
    await source.start()
    try:
        silent = (
            f" on {cfg.port}: check that it is on and connected, that its baud rate is {cfg.baudrate} "
            "and that its output is on (continuous, or print on stable)"
        )
        return await next_stable(source, timeout_s, silent)
    finally:
        await source.stop()
