"""One connection's worth of a scale's bytes turned into readings and notices (no I/O).

The serial reader feeds bytes and the clock in and sends what `due()` asks for; everything a
scale's behaviour depends on lives here, so it is tested without a port: line framing, protocol
detection, polling a quiet scale, settling plain readings, and saying each problem once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.codes.units import Quantity, find_unit
from tui.devices.scales.events import ScaleEvent, ScaleNotice, ScaleReading
from tui.devices.scales.protocols import (
    OHAUS,
    PLAIN,
    PROBES,
    OutOfRange,
    Protocol,
    Reply,
    Weight,
    detect,
    is_reply,
)
from tui.errors import ScaleError

POLL_S = 0.2
"""A scale quiet for this long is asked for its weight (if its protocol has a command for it)."""
PROBE_S = 0.5
"""Unknown protocol: silence before the first probe, and between probes."""
SETTLE_S = 0.5
"""Plain lines: a value unchanged this long (repeated, or followed by silence) is stable."""
MAX_LINE = 256
"""Bytes without a line end after which the buffer is read as a line (a wrong baud rate)."""
UNREADABLE_LINES = 5
"""Lines in no known format before the maker is told the scale cannot be read."""


@dataclass
class _Pending:
    """A plain reading waiting to be judged stable."""

    quantity: Quantity
    since: float
    settled: bool = False


@dataclass
class Decoder:
    name: str
    protocol: Protocol | None = None
    """The configured protocol, or None to detect it from the first weight line."""
    started: float = 0.0
    _detected: bool = field(init=False, default=False)
    _buffer: bytearray = field(init=False, default_factory=bytearray)
    _last_rx: float = field(init=False, default=0.0)
    _last_sent: float = field(init=False, default=float("-inf"))
    _probes: int = field(init=False, default=0)
    _unreadable: int = field(init=False, default=0)
    _notice: str = field(init=False, default="")
    _pending: _Pending | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._detected = self.protocol is None
        self._last_rx = self.started

    def feed(self, data: bytes, now: float) -> list[ScaleEvent]:
        """Bytes as read; returns what they complete. Bit 7 is dropped: scales speak ASCII, and a
        7-bit scale (A&D's 7E1) read as 8N1 then still decodes."""
        self._last_rx = now
        events: list[ScaleEvent] = []
        self._buffer.extend(b & 0x7F for b in data)
        while True:
            ends = [i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n")) if i >= 0]
            if not ends and len(self._buffer) < MAX_LINE:
                break
            cut = min(ends) if ends else len(self._buffer)
            raw, self._buffer = bytes(self._buffer[:cut]), self._buffer[cut + 1 :]
            text = "".join(c for c in raw.decode("ascii") if c >= " " or c == "\x06")
            if text.strip():
                events += self._line(text, now)
        return events

    def idle(self, now: float) -> list[ScaleEvent]:
        """Called when a read returns nothing: a plain value that has held long enough is stable."""
        pending = self._pending
        if pending is None or pending.settled or now - pending.since < SETTLE_S:
            return []
        pending.settled = True
        return [self._reading(pending.quantity, True, now)]

    def due(self, now: float) -> bytes | None:
        """A command to send now to get readings out of a quiet scale, if any."""
        quiet = now - max(self._last_rx, self._last_sent)
        if self.protocol is not None:
            if self.protocol.poll is None or quiet < POLL_S:
                return None
            command = self.protocol.poll
        else:
            if quiet < PROBE_S:
                return None
            command = PROBES[self._probes % len(PROBES)]
            self._probes += 1
        self._last_sent = now
        return command

    def command(self, action: str) -> bytes:
        """The bytes that make the scale tare or zero, or a refusal the maker can act on."""
        if self.protocol is None:
            raise ScaleError(
                f"scale {self.name!r} has sent nothing readable yet: press {action.upper()} on the scale"
            )
        command = self.protocol.tare if action == "tare" else self.protocol.zero
        if command is None:
            raise ScaleError(
                f"scale {self.name!r} ({self.protocol.name}) takes no {action} command: "
                f"press {action.upper()} on the scale"
            )
        return command

    def _line(self, text: str, now: float) -> list[ScaleEvent]:
        if self.protocol is None:
            found = detect(text)
            if found is None:
                return self._unreadable_line(text, probing=True)
            self.protocol = found
        frame = self.protocol.parse(text)
        if frame is None:
            return self._unreadable_line(text, probing=False)
        self._unreadable = 0
        if isinstance(frame, Weight):
            return self._weight(frame, now)
        if isinstance(frame, OutOfRange):
            self._pending = None
            if frame.over:
                return self._say("is overloaded: take weight off the pan")
            return self._say("reads below zero or its pan is off: put the pan back, then zero it")
        if isinstance(frame, Reply) and not frame.ok:
            return self._say(frame.message)
        return []

    def _weight(self, frame: Weight, now: float) -> list[ScaleEvent]:
        unit = find_unit(frame.unit)
        if unit is None:
            return self._say(f"shows {frame.unit!r}, which Lotkeeper cannot use: set it to g, kg, oz or lb")
        quantity = Quantity(frame.value, unit)
        if frame.stable is False and self._detected and self.protocol is PLAIN:
            self.protocol = OHAUS  # it marks unstable readings: trust its stable ones from now on
        if frame.stable is not None:
            self._pending = None
            return self._fine([self._reading(quantity, frame.stable, now)])
        pending = self._pending
        if pending is None or pending.quantity != quantity:
            self._pending = _Pending(quantity, now)
            return self._fine([self._reading(quantity, False, now)])
        pending.settled = pending.settled or now - pending.since >= SETTLE_S
        return self._fine([self._reading(quantity, pending.settled, now)])

    def _reading(self, quantity: Quantity, stable: bool, now: float) -> ScaleReading:
        assert self.protocol is not None
        return ScaleReading(self.name, quantity, stable, self.protocol.name, now)

    def _fine(self, events: list[ScaleEvent]) -> list[ScaleEvent]:
        """A good reading clears the last problem, so a recurring one is told again."""
        self._notice = ""
        return events

    def _say(self, message: str) -> list[ScaleEvent]:
        if message == self._notice:
            return []
        self._notice = message
        return [ScaleNotice(self.name, f"scale {self.name!r} {message}")]

    def _unreadable_line(self, text: str, probing: bool) -> list[ScaleEvent]:
        if probing and is_reply(text):
            return []
        self._unreadable += 1
        if self._unreadable < UNREADABLE_LINES:
            return []
        protocol = self.protocol.name if self.protocol else ""
        how = "set `protocol` in the config" if probing else f"check `protocol` ({protocol}) in the config"
        return self._say(
            f"sends data Lotkeeper cannot read (last line: {text.strip()[:40]!r}): check the baud rate "
            f"and parity in the scale's menu and the config, or {how}"
        )
