"""Telling a keyboard-wedge scanner from a person typing, key by key.

A wedge scanner types its scan into whatever has focus, tens of keys within a millisecond or
two, then presses Enter. A person types a key every 80 ms or more. So printable keys are held
back while they keep arriving faster than `max_gap_ms`: Enter on a long enough burst makes it a
scan (the keys never reach the focused widget); a pause, a short burst or any other key releases
them in order for normal delivery. Typing keeps working, one gap late. With a configured prefix,
keys that cannot start it are not even held back.

No UI here: the caller feeds keys with their timestamps and arms a timer for `deadline()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from tui.config import ScannerConfig
from tui.devices.scanners.base import GS, QueuedSource, Scan, ScannerStatus, make_scan
from tui.errors import ConfigError

T = TypeVar("T")

TERMINATOR_KEYS = frozenset({"enter", "ctrl+j"})
"""Enter ends a scan; some scanners are set to send LF, which a terminal reports as ctrl+j."""

KEY_CHARACTERS = {"ctrl+right_square_bracket": GS}
"""Keys whose meaning in a scan is a character the UI does not report as one."""


@dataclass(frozen=True)
class Keystroke(Generic[T]):
    """A key given back to the caller for normal delivery; `ref` is the caller's own event."""

    key: str
    char: str | None
    time: float
    ref: T


class WedgeDetector(Generic[T]):
    """Feed every key; act on what comes back, in order: `Keystroke`s to deliver, `Scan`s."""

    def __init__(self, cfg: ScannerConfig) -> None:
        if cfg.max_gap_ms <= 0:
            raise ConfigError(f"scanner {cfg.name!r}: `max_gap_ms` must be above 0")
        if cfg.min_length < 1:
            raise ConfigError(f"scanner {cfg.name!r}: `min_length` must be at least 1")
        self.cfg = cfg
        self._gap = cfg.max_gap_ms / 1000
        self._affixes = cfg.prefix + cfg.suffix
        self._held: list[Keystroke[T]] = []
        self._text = ""

    def deadline(self) -> float | None:
        """When held keys stop being a possible scan (same clock as the key times)."""
        return self._held[-1].time + self._gap if self._held else None

    def feed(self, key: str, char: str | None, t: float, ref: T) -> list[Keystroke[T] | Scan]:
        out: list[Keystroke[T] | Scan] = []
        if self._held and t - self._held[-1].time > self._gap:
            out += self._release()
        stroke = Keystroke(key, char, t, ref)
        if key in TERMINATOR_KEYS and self._held:
            scan = self._as_scan(t)
            if scan is not None:
                self._held.clear()
                self._text = ""
                out.append(scan)
                return out
            out += self._release()
            out.append(stroke)
            return out
        ch = KEY_CHARACTERS.get(key, char)
        if self._held and not self._extends(ch):
            out += self._release()  # this key may still start a new burst, checked below
        if self._extends(ch):
            self._held.append(stroke)
            self._text += ch or ""
        else:
            out.append(stroke)
        return out

    def flush(self, now: float) -> list[Keystroke[T]]:
        """Release held keys once their gap has passed; call when the `deadline()` timer fires."""
        deadline = self.deadline()
        if deadline is None or now < deadline:
            return []
        return self._release()

    def _extends(self, ch: str | None) -> bool:
        if ch is None or not (ch.isprintable() or ch == GS or ch in self._affixes):
            return False
        candidate = self._text + ch
        prefix = self.cfg.prefix
        n = min(len(candidate), len(prefix))
        return candidate[:n] == prefix[:n]

    def _as_scan(self, t: float) -> Scan | None:
        cfg = self.cfg
        text = self._text
        if len(text) < len(cfg.prefix) + len(cfg.suffix) or not text.endswith(cfg.suffix):
            return None
        scan = make_scan(text, cfg, received_at=t)
        if scan is None or len(scan.text) < cfg.min_length:
            return None
        return scan

    def _release(self) -> list[Keystroke[T]]:
        held, self._held, self._text = self._held, [], ""
        return held


class WedgeScanner(QueuedSource, Generic[T]):
    """The wedge as a `ScannerSource`: the UI feeds keys, scans come out of `events()` like any
    other scanner's. Its keys come from the terminal, so it is connected while it runs."""

    def __init__(self, cfg: ScannerConfig) -> None:
        super().__init__(cfg)
        self.detector: WedgeDetector[T] = WedgeDetector(cfg)

    async def start(self) -> None:
        self._put(ScannerStatus(self.name, True, "reading scans typed into this terminal"))

    async def stop(self) -> None:
        self._put(None)

    def deadline(self) -> float | None:
        return self.detector.deadline()

    def feed(self, key: str, char: str | None, t: float, ref: T) -> list[Keystroke[T]]:
        """Queue any completed scan; return the keys the UI should deliver now, in order."""
        keys: list[Keystroke[T]] = []
        for action in self.detector.feed(key, char, t, ref):
            if isinstance(action, Scan):
                self._put(action)
            else:
                keys.append(action)
        return keys

    def flush(self, now: float) -> list[Keystroke[T]]:
        return self.detector.flush(now)
