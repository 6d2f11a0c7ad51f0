"""Scanners that appear as a serial port (USB CDC-ACM `/dev/ttyACM*`, USB-serial `/dev/ttyUSB*`).

A serial scanner needs no terminal focus and cannot be confused with typing, so it is the most
reliable kind; the costs are a port to configure and permissions to get right, which is why the
open errors below spell out the fix.
"""

from __future__ import annotations

import errno
import os
import stat

import serial
from serial.tools import list_ports

from tui.config import ScannerConfig
from tui.devices.scanners.threaded import ThreadedScanner
from tui.errors import ConfigError, ScannerError

READ_TIMEOUT_S = 0.2
"""How long one read waits. Also the silence after which unterminated data counts as a scan."""


def _decode(data: bytes) -> str:
    """Scanners send ASCII, sometimes UTF-8, sometimes Latin-1; Latin-1 never fails."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def open_error_message(cfg: ScannerConfig, exc: OSError) -> str:
    """A sentence for the maker: what is wrong with the port and what to do about it."""
    who = f"scanner {cfg.name!r}"
    port = cfg.port
    code = exc.errno
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        present = ", ".join(sorted(p.device for p in list_ports.comports())) or "none"
        return (
            f"{who}: serial port {port} does not exist. Plug the scanner in (it is picked up "
            f"automatically) or fix `port` in the config; a stable name is in /dev/serial/by-id/. "
            f"Serial ports present: {present}."
        )
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"{who}: no permission to open {port}. Add your user to the 'dialout' group "
            f"(`sudo usermod -aG dialout $USER`, then log out and in again) or install a udev "
            f'rule for the scanner (MODE="0660", GROUP="dialout").'
        )
    if code in (errno.EBUSY, errno.EAGAIN):
        return (
            f"{who}: {port} is in use by another program (another Lotkeeper, ModemManager or a "
            f"serial console). Close it, then replug the scanner."
        )
    try:
        is_char_device = stat.S_ISCHR(os.stat(port).st_mode)
    except OSError:
        is_char_device = True
    if not is_char_device:
        return f"{who}: {port} is not a serial port; fix `port` in the config."
    return f"{who}: cannot open serial port {port} ({exc})."


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
        try:
            return serial.Serial(self.cfg.port, self.cfg.baud, timeout=READ_TIMEOUT_S, exclusive=True)
        except serial.SerialException as exc:
            raise ScannerError(open_error_message(self.cfg, exc)) from exc
        except ValueError as exc:  # a baud rate the port driver refuses
            raise ScannerError(f"scanner {self.cfg.name!r}: {exc}") from exc

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
                    self._emit_raw(_decode(pending[: -len(term)]))
                    pending = b""
            elif pending:
                self._emit_raw(_decode(pending))
                pending = b""

    def _interrupt(self, handle: serial.Serial) -> None:
        handle.cancel_read()

    def _close(self, handle: serial.Serial) -> None:
        handle.close()
