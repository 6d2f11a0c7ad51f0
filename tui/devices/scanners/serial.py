"""Scanners that appear as a serial port (USB CDC-ACM `/dev/ttyACM*`, USB-serial `/dev/ttyUSB*`).

A serial scanner needs no terminal focus and cannot be confused with typing, so it is the most
reliable kind; the costs are a port to configure and permissions to get right, which is why the
open errors below spell out the fix.
"""

from __future__ import annotations

import serial

from tui.config import ScannerConfig
from tui.devices import serialport
from tui.devices.scanners.threaded import ThreadedScanner
from tui.errors import ConfigError, ScannerError

READ_TIMEOUT_S = 0.2
"""How long one read waits. Also the silence after which unterminated data counts as a scan."""


def open_error_message(cfg: ScannerConfig, exc: OSError) -> str:
    """A sentence for the maker: what is wrong with the port and what to do about it."""
    return serialport.open_error_message(f"scanner {cfg.name!r}", "scanner", cfg.port, exc)


class SerialScanner(ThreadedScanner[serial.Serial]):
    """Reads `terminator`-ended scans from a serial port in a thread."""

    def __init__(self, cfg: ScannerConfig) -> None:
        if not cfg.port:
            raise ConfigError(f"scanner {cfg.name!r}: a serial scanner needs `port`, e.g. /dev/ttyACM0")
        if cfg.baud <= 0:
            raise ConfigError(f"scanner {cfg.name!r}: `baud` must be positive, not {cfg.baud}")
        super().__init__(cfg)
        self._terminator = cfg.terminator.encode("latin-1")

    def _open(self) -> serial.Serial:
        cfg = self.cfg
        who = f"scanner {cfg.name!r}"
        return serialport.open_port(
            cfg.port, cfg.baud, who=who, device="scanner", error=ScannerError, timeout=READ_TIMEOUT_S
        )

    def _read_until_stopped(self, handle: serial.Serial) -> None:
        """A scan ends at the terminator, or at a full read timeout of silence: a scanner whose
        terminator differs from the config still delivers (a bit later) instead of never."""
        term = self._terminator
        pending = b""
        while not self._stopping.is_set():
            try:
                data = handle.read_until(term) if term else handle.read(4096)
            except (serial.SerialException, OSError) as exc:
                raise ScannerError(
                    f"scanner {self.name!r} was unplugged or stopped answering on "
                    f"{self.cfg.port}; waiting for it to come back."
                ) from exc
            if data:
                pending += data
                if term and pending.endswith(term):
                    self._emit_raw(serialport.decode(pending[: -len(term)]))
                    pending = b""
            elif pending:
                self._emit_raw(serialport.decode(pending))
                pending = b""

    def _interrupt(self, handle: serial.Serial) -> None:
        handle.cancel_read()

    def _close(self, handle: serial.Serial) -> None:
        handle.close()
