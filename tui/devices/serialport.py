"""Opening a serial port the way a maker can act on: every failure becomes a sentence with the fix.

Scanners in USB-serial mode and bench scales share this: the port may be missing (unplugged, or
the name changed), owned by root, held by another program, or not a serial port at all.
"""

from __future__ import annotations

import errno
import os
import stat

import serial
from serial.tools import list_ports

from tui.errors import DeviceError

PARITIES = {"none": serial.PARITY_NONE, "even": serial.PARITY_EVEN, "odd": serial.PARITY_ODD}
"""Config spelling -> pyserial constant. With even or odd parity the data bits are 7 (7E1, 7O1)."""


def decode(data: bytes) -> str:
    """Devices send ASCII, sometimes UTF-8, sometimes Latin-1; Latin-1 never fails."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def open_error_message(who: str, device: str, port: str, exc: OSError) -> str:
    """What is wrong with `port` for `who` (e.g. "scale 'bench'") and what to do about it."""
    code = exc.errno
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        present = ", ".join(sorted(p.device for p in list_ports.comports())) or "none"
        return (
            f"{who}: serial port {port} does not exist. Plug the {device} in (it is picked up "
            f"automatically) or fix `port` in the config; a stable name is in /dev/serial/by-id/. "
            f"Serial ports present: {present}."
        )
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"{who}: no permission to open {port}. Add your user to the 'dialout' group "
            f"(`sudo usermod -aG dialout $USER`, then log out and in again) or install a udev "
            f'rule for the {device} (MODE="0660", GROUP="dialout").'
        )
    if code in (errno.EBUSY, errno.EAGAIN):
        return (
            f"{who}: {port} is in use by another program (another Lotkeeper, ModemManager or a "
            f"serial console). Close it, then replug the {device}."
        )
    try:
        is_char_device = stat.S_ISCHR(os.stat(port).st_mode)
    except OSError:
        is_char_device = True
    if not is_char_device:
        return f"{who}: {port} is not a serial port; fix `port` in the config."
    return f"{who}: cannot open serial port {port} ({exc})."


def open_port(
    port: str,
    baudrate: int,
    *,
    who: str,
    device: str,
    error: type[DeviceError],
    timeout: float,
    parity: str = "none",
) -> serial.Serial:
    """Open `port` exclusively, or raise `error` with a sentence naming the fix."""
    try:
        return serial.Serial(
            port,
            baudrate,
            bytesize=serial.EIGHTBITS if parity == "none" else serial.SEVENBITS,
            parity=PARITIES[parity],
            timeout=timeout,
            write_timeout=1.0,
            exclusive=True,
        )
    except serial.SerialException as exc:
        raise error(open_error_message(who, device, port, exc)) from exc
    except ValueError as exc:  # a baud rate the port driver refuses
        raise error(f"{who}: {exc}") from exc
