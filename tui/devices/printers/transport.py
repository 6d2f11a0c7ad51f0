"""Byte links to a printer: a TCP socket, a device file (/dev/usb/lp0) or a USB endpoint pair.

Everything here has a timeout: a printer that is off, asleep or stuck must cost the queue a few
seconds, never a hung thread (brother_ql's own network backend connects without one).

Each link counts what the printer is known to have *received*, which decides whether a broken
send may have printed: on TCP that is what the printer acknowledged (Linux `TIOCOUTQ` gives the
unacknowledged rest); on a device file it is what the driver accepted. On TCP an acknowledgement
comes from the printer's network stack, not from the printer having read the bytes: a printer
that never reads acknowledges a whole label into its buffers, then never closes (`Unconfirmed`).
Whether it printed, nobody can tell from here.
"""

from __future__ import annotations

import errno
import fcntl
import os
import select
import socket
import struct
import termios
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from tui.devices.printers.base import NotPrinted
from tui.errors import ConfigError, PrinterError

CHUNK = 16384


class Unconfirmed(TimeoutError):
    """Every byte was acknowledged but the printer did not end the job: it may be printing,
    stuck, or not reading at all; the label may or may not have printed."""


class Link(Protocol):
    network: bool
    """A TCP link: Brother QL printers do not answer status requests on it."""

    def write(self, data: bytes) -> None: ...

    def read(self, size: int, timeout: float) -> bytes:
        """Up to `size` bytes, or b"" if nothing came within `timeout` seconds."""
        ...

    def finish(self) -> None:
        """Wait until the printer has taken the whole job (TCP: it closes its side)."""
        ...

    def delivered(self) -> int:
        """Bytes the printer is known to have received."""
        ...

    def close(self) -> None: ...


class TcpLink:
    network = True

    def __init__(self, host: str, port: int, timeout: float) -> None:
        where = f"{host}:{port}"
        self.timeout = timeout
        try:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        except ConnectionRefusedError:
            raise NotPrinted(
                f"the printer at {where} refused the connection: is it switched on, and is "
                f"printing on port {port} enabled?"
            ) from None
        except TimeoutError:
            raise NotPrinted(
                f"no answer from the printer at {where} within {timeout:g} s: is it switched on "
                "and on the same network as this computer?"
            ) from None
        except socket.gaierror:
            raise NotPrinted(
                f"cannot find a printer called {host!r}: check its address in the config"
            ) from None
        except OSError as exc:
            raise NotPrinted(f"cannot reach the printer at {where}: {exc.strerror or exc}") from None
        self.written = 0

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            sent = self.sock.send(view[:CHUNK])
            self.written += sent
            view = view[sent:]

    def read(self, size: int, timeout: float) -> bytes:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(size)
        except TimeoutError:
            return b""
        finally:
            self.sock.settimeout(self.timeout)

    def finish(self) -> None:
        self.sock.shutdown(socket.SHUT_WR)
        try:
            while self.sock.recv(4096):  # back-channel chatter until the printer closes
                pass
        except TimeoutError:
            raise Unconfirmed(
                f"the printer took the data but did not end the job within {self.timeout:g} s"
            ) from None

    def delivered(self) -> int:
        try:
            raw = fcntl.ioctl(self.sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
        except (OSError, AttributeError):
            return self.written  # cannot tell: assume the printer got everything
        unsent: int = struct.unpack("i", raw)[0]
        return self.written - unsent

    def close(self) -> None:
        self.sock.close()


class DeviceLink:
    """A printer device file such as /dev/usb/lp0 (usblp): non-blocking I/O under our timeouts."""

    network = False

    def __init__(self, path: str, timeout: float) -> None:
        self.timeout = timeout
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
        except FileNotFoundError:
            raise NotPrinted(f"no printer at {path}: is it plugged in and switched on?") from None
        except PermissionError:
            raise NotPrinted(
                f"no permission to use {path}: install the udev rule from deploy/ (see the README) "
                "or add this user to the lp group, then log in again"
            ) from None
        except OSError as exc:
            if exc.errno == errno.EBUSY:
                raise NotPrinted(f"{path} is in use by another program (ipp-usb or CUPS?)") from None
            raise NotPrinted(f"cannot open the printer {path}: {exc.strerror}") from None
        self.written = 0

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [self.fd], [], self.timeout)
            if not ready:
                raise TimeoutError(f"the printer took no data for {self.timeout:g} s")
            try:
                sent = os.write(self.fd, view[:CHUNK])
            except BlockingIOError:
                continue
            self.written += sent
            view = view[sent:]

    def read(self, size: int, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.fd, size)
        except BlockingIOError:
            return b""

    def finish(self) -> None:
        return None

    def delivered(self) -> int:
        return self.written

    def close(self) -> None:
        os.close(self.fd)


class UsbLink:
    """Direct USB with pyusb (optional dependency), when no usblp device file is available."""

    network = False

    def __init__(self, vendor: int, product: int, timeout: float) -> None:
        try:
            import usb.core
            import usb.util
        except ImportError:
            raise PrinterError(
                "usb:// printers need the pyusb package (pip install pyusb); or use /dev/usb/lp0"
            ) from None
        self._usb: Any = usb
        self.ms = int(timeout * 1000)
        try:
            device: Any = usb.core.find(idVendor=vendor, idProduct=product)
        except usb.core.NoBackendError:
            raise PrinterError("usb:// printers need libusb: sudo apt install libusb-1.0-0") from None
        if device is None:
            raise NotPrinted(f"no USB printer {vendor:04x}:{product:04x}: is it plugged in and switched on?")
        try:
            if device.is_kernel_driver_active(0):
                device.detach_kernel_driver(0)
            device.set_configuration()
        except usb.core.USBError as exc:
            raise NotPrinted(f"cannot claim the USB printer (in use by ipp-usb or CUPS?): {exc}") from None
        interface = device.get_active_configuration()[(0, 0)]
        direction = usb.util.endpoint_direction

        def endpoint(want: int) -> Any:
            return usb.util.find_descriptor(
                interface, custom_match=lambda e: direction(e.bEndpointAddress) == want
            )

        self.device = device
        self.out = endpoint(usb.util.ENDPOINT_OUT)
        self.inp = endpoint(usb.util.ENDPOINT_IN)
        self.written = 0

    def write(self, data: bytes) -> None:
        for start in range(0, len(data), CHUNK):
            try:
                self.written += self.out.write(data[start : start + CHUNK], self.ms)
            except self._usb.core.USBError as exc:
                raise OSError(f"USB write failed: {exc}") from None

    def read(self, size: int, timeout: float) -> bytes:
        try:
            return bytes(self.inp.read(max(size, self.inp.wMaxPacketSize), int(timeout * 1000)))
        except self._usb.core.USBTimeoutError:
            return b""
        except self._usb.core.USBError as exc:
            raise OSError(f"USB read failed: {exc}") from None

    def finish(self) -> None:
        return None

    def delivered(self) -> int:
        return self.written

    def close(self) -> None:
        self._usb.util.dispose_resources(self.device)


@dataclass(frozen=True)
class Endpoint:
    """A printer URI, checked when made; `open()` connects (NotPrinted when the printer is not there)."""

    uri: str
    timeout: float
    default_port: int = 9100

    def __post_init__(self) -> None:
        self._parse()

    def _parse(self) -> tuple[str, str, int]:
        """(kind, host or path, port or 0); kind is tcp, usb or device."""
        uri = self.uri.strip()
        if uri.startswith("tcp://"):
            parts = urlsplit(uri)
            try:
                port = parts.port or self.default_port
            except ValueError:
                raise ConfigError(f"printer address {uri!r} has a bad port number") from None
            if not parts.hostname:
                raise ConfigError(f"printer address {uri!r} has no host: use tcp://192.168.1.50:9100")
            return "tcp", parts.hostname, port
        if uri.startswith("usb://"):
            return "usb", uri[len("usb://") :], 0
        path = uri.removeprefix("file://")
        if path.startswith("/"):
            return "device", path, 0
        raise ConfigError(
            f"printer address {uri!r} is not understood: use tcp://HOST[:PORT], /dev/usb/lp0 "
            "or usb://VENDOR:PRODUCT"
        )

    def open(self) -> Link:
        kind, where, port = self._parse()
        if kind == "tcp":
            return TcpLink(where, port, self.timeout)
        if kind == "usb":
            try:
                vendor, product = (int(i, 16) for i in where.split(":"))
            except ValueError:
                raise ConfigError(f"USB printer {self.uri!r} must look like usb://0x04f9:0x209b") from None
            return UsbLink(vendor, product, self.timeout)
        return DeviceLink(where, self.timeout)

    @property
    def host(self) -> str | None:
        kind, where, _ = self._parse()
        return where if kind == "tcp" else None
