"""USB HID scanners read straight from Linux input devices, grabbed away from the console.

A grabbed scanner types into nothing but Lotkeeper: no focus problems, no detection heuristics,
and no dependence on the host keyboard layout, because key codes are mapped to characters here
with a fixed US table (how scanners ship, and how their codes are meant to be read).
GS arrives as Ctrl+] or as an Alt+keypad code (Alt 0 2 9), both understood.
"""

from __future__ import annotations

import errno
import os
import select
import stat
from dataclasses import dataclass
from functools import cache
from typing import Any

from tui.config import ScannerConfig
from tui.devices.scanners.threaded import ThreadedScanner
from tui.errors import ConfigError, ScannerError

_evdev: Any
try:
    import evdev as _evdev
except ImportError:  # optional: only Linux HID grabbing needs it
    _evdev = None

_US_PAIRS = {
    "1": "1!", "2": "2@", "3": "3#", "4": "4$", "5": "5%", "6": "6^", "7": "7&", "8": "8*",
    "9": "9(", "0": "0)", "MINUS": "-_", "EQUAL": "=+", "LEFTBRACE": "[{", "RIGHTBRACE": "]}",
    "BACKSLASH": "\\|", "SEMICOLON": ";:", "APOSTROPHE": "'\"", "GRAVE": "`~", "COMMA": ",<",
    "DOT": ".>", "SLASH": "/?", "SPACE": "  ", "TAB": "\t\t", "KPDOT": "..", "KPSLASH": "//",
    "KPASTERISK": "**", "KPMINUS": "--", "KPPLUS": "++",
}  # fmt: skip


def _require_evdev() -> Any:
    if _evdev is None:
        raise ScannerError(
            "reading a scanner as an input device needs the 'evdev' Python package: install "
            "Lotkeeper with the 'evdev' extra (pip install 'lotkeeper[evdev]'), or configure "
            "the scanner as kind = 'wedge' or 'serial'"
        )
    return _evdev


@cache
def _tables() -> tuple[dict[int, tuple[str, str]], dict[int, str], dict[str, frozenset[int]]]:
    """(code -> (plain, shifted)), (keypad code -> digit), modifier code sets."""
    ec = _require_evdev().ecodes
    chars: dict[int, tuple[str, str]] = {}
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        chars[ec.ecodes[f"KEY_{letter}"]] = (letter.lower(), letter)
    for name, pair in _US_PAIRS.items():
        chars[ec.ecodes[f"KEY_{name}"]] = (pair[0], pair[1])
    keypad = {ec.ecodes[f"KEY_KP{d}"]: str(d) for d in range(10)}
    for code, digit in keypad.items():
        chars[code] = (digit, digit)
    mods = {
        "shift": frozenset({ec.KEY_LEFTSHIFT, ec.KEY_RIGHTSHIFT}),
        "ctrl": frozenset({ec.KEY_LEFTCTRL, ec.KEY_RIGHTCTRL}),
        "alt": frozenset({ec.KEY_LEFTALT, ec.KEY_RIGHTALT}),
        "enter": frozenset({ec.KEY_ENTER, ec.KEY_KPENTER}),
    }
    return chars, keypad, mods


class KeyDecoder:
    """Key events in, one scan's raw text out at each Enter. Only key presses count: releases
    and auto-repeats are ignored, modifiers are tracked."""

    def __init__(self) -> None:
        self._chars, self._keypad, self._mods = _tables()
        self._held: dict[str, set[int]] = {"shift": set(), "ctrl": set(), "alt": set()}
        self._alt_digits = ""
        self._text: list[str] = []

    def feed(self, event: Any) -> str | None:
        """Take one `evdev.InputEvent`; return the scan's text when it ends the scan."""
        if event.type != _evdev.ecodes.EV_KEY:
            return None
        code, value = event.code, event.value
        for mod, codes in self._mods.items():
            if code in codes and mod in self._held:
                self._modifier(mod, code, pressed=value != 0)
                return None
        if value != 1:
            return None
        if code in self._mods["enter"]:
            text, self._text = "".join(self._text), []
            return text
        if self._held["alt"] and code in self._keypad:
            self._alt_digits += self._keypad[code]
            return None
        pair = self._chars.get(code)
        if pair is None:
            return None
        ch = pair[1] if self._held["shift"] else pair[0]
        if self._held["ctrl"]:
            upper = ch.upper()
            if not ("@" <= upper <= "_"):
                return None
            ch = chr(ord(upper) - 0x40)  # Ctrl+] is GS, Ctrl+^ RS, Ctrl+D EOT
        self._text.append(ch)
        return None

    def _modifier(self, mod: str, code: int, pressed: bool) -> None:
        if pressed:
            self._held[mod].add(code)
            return
        self._held[mod].discard(code)
        if mod == "alt" and not self._held["alt"] and self._alt_digits:
            value = int(self._alt_digits)
            self._alt_digits = ""
            if value < 256:
                self._text.append(chr(value))


@dataclass
class _Grabbed:
    """An open, grabbed device plus the pipe that wakes its reader for `stop()`."""

    device: Any
    wake_r: int
    wake_w: int


def _open_message(cfg: ScannerConfig, exc: OSError) -> str:
    who = f"scanner {cfg.name!r}"
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return (
            f"{who}: input device {cfg.port} does not exist. Plug the scanner in (it is picked "
            f"up automatically) or fix `port`; stable names are in /dev/input/by-id/."
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"{who}: no permission to read {cfg.port}. Add your user to the 'input' group "
            f"(`sudo usermod -aG input $USER`, then log out and in again) or install a udev rule "
            f"for the scanner."
        )
    if exc.errno in (errno.ENOTTY, errno.EINVAL):
        return f"{who}: {cfg.port} is not an input device; fix `port` in the config."
    return f"{who}: cannot open input device {cfg.port} ({exc})."


class EvdevScanner(ThreadedScanner[_Grabbed]):
    """`port` is a device path (`/dev/input/by-id/...-event-kbd`) or the device's name."""

    def __init__(self, cfg: ScannerConfig) -> None:
        if not cfg.port:
            raise ConfigError(
                f"scanner {cfg.name!r}: an evdev scanner needs `port`: a path in "
                f"/dev/input/by-id/ or the device name shown by `evtest`"
            )
        super().__init__(cfg)

    def _path(self) -> str:
        evdev = _require_evdev()
        port = self.cfg.port
        if port.startswith("/"):
            return port
        names = []
        for path in evdev.list_devices():
            try:
                device = evdev.InputDevice(path)
            except OSError:
                continue
            names.append(device.name)
            device.close()
            if device.name == port:
                return str(path)
        present = ", ".join(repr(n) for n in names) or "none readable"
        raise ScannerError(
            f"scanner {self.cfg.name!r}: no input device named {port!r} (devices: {present}). "
            f"Plug the scanner in, or set `port` to its path in /dev/input/by-id/."
        )

    def _open(self) -> _Grabbed:
        evdev = _require_evdev()
        path = self._path()
        try:
            if not stat.S_ISCHR(os.stat(path).st_mode):
                raise OSError(errno.ENOTTY, "not a character device")
            device = evdev.InputDevice(path)
        except OSError as exc:
            raise ScannerError(_open_message(self.cfg, exc)) from exc
        try:
            device.grab()
        except OSError as exc:
            device.close()
            raise ScannerError(
                f"scanner {self.cfg.name!r}: {self.cfg.port} is grabbed by another program "
                f"(another Lotkeeper?); close it, then try again ({exc})."
            ) from exc
        wake_r, wake_w = os.pipe()
        return _Grabbed(device, wake_r, wake_w)

    def _read_until_stopped(self, handle: _Grabbed) -> None:
        decoder = KeyDecoder()
        device = handle.device
        while not self._stopping.is_set():
            ready, _, _ = select.select([device.fd, handle.wake_r], [], [])
            if handle.wake_r in ready:
                return
            try:
                events = list(device.read())
            except BlockingIOError:
                continue
            except OSError as exc:
                raise ScannerError(
                    f"scanner {self.name!r} was unplugged from {self.cfg.port}; waiting for it to come back."
                ) from exc
            for event in events:
                text = decoder.feed(event)
                if text is not None:
                    self._emit_raw(text)

    def _interrupt(self, handle: _Grabbed) -> None:
        os.write(handle.wake_w, b"x")

    def _close(self, handle: _Grabbed) -> None:
        try:
            handle.device.close()  # closing also releases the grab
        finally:
            os.close(handle.wake_r)
            os.close(handle.wake_w)
