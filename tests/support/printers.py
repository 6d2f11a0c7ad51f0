"""Fake printers that take real bytes: a raw TCP port (Brother or Zebra), a Brother on a device file
(a raw pseudo-terminal) and an SNMP agent. Jobs are parsed back with brother_ql's own reader and
the barcodes decoded with zxing-cpp, so a test passes only if a real printer would print the lot.

tests/devices/test_printer_fakes.py checks the fakes themselves.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import socket
import threading
import tty
from collections.abc import Callable
from pathlib import Path

import zxingcpp
from brother_ql.reader import BrotherQLReader, chunker
from PIL import Image

from tui.devices.printers import snmp

WAIT_S = 5.0
_pages = itertools.count()


def decode(image: Image.Image) -> set[str]:
    return {b.text for b in zxingcpp.read_barcodes(image.convert("L"))}


def brother_pages(data: bytes, folder: Path) -> list[Image.Image]:
    """The pages a Brother QL would print from these bytes (brother_ql's reader writes PNGs)."""
    reader = BrotherQLReader(io.BytesIO(data))  # type: ignore[arg-type]
    batch = next(_pages)
    reader.filename_fmt = str(folder / f"page-{batch}-{{counter}}.png")
    with contextlib.redirect_stdout(io.StringIO()):
        reader.analyse()
    return [Image.open(p) for p in sorted(folder.glob(f"page-{batch}-*.png"))]


def status_bytes(
    *,
    error1: int = 0,
    error2: int = 0,
    media_type: int = 0x0A,
    width: int = 62,
    length: int = 0,
    kind: int = 0,
) -> bytes:
    """A 32-byte Brother status reply (kind 0: reply to a request, 1: printing completed, 2: error)."""
    reply = bytearray(32)
    reply[0:3] = b"\x80\x20\x42"
    reply[4] = 0x41  # QL-820NWB
    reply[8], reply[9], reply[10], reply[11], reply[17], reply[18] = (
        error1,
        error2,
        width,
        media_type,
        length,
        kind,
    )
    return bytes(reply)


class FakeTcpPrinter:
    """A raw port-9100 printer. Modes: `ok` reads a job until the client closes its side, then
    closes; `hang` accepts and never reads; `die` reads `die_after` bytes and drops the line;
    `silent` reads everything but never closes. `rcvbuf` gives it a small TCP window, as the
    embedded network stack of a real printer has. `listening=False`: connections are refused
    until `listen()`."""

    def __init__(
        self, mode: str = "ok", *, die_after: int = 0, rcvbuf: int | None = None, listening: bool = True
    ):
        self.mode, self.die_after = mode, die_after
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.jobs: list[bytes] = []
        self.partial: list[bytes] = []
        self.connections = 0
        self.changed = threading.Condition()
        self.stopped = threading.Event()
        self.threads: list[threading.Thread] = []
        if listening:
            self.listen()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def listen(self) -> None:
        self.sock.listen(8)
        self._start(self._accept)

    def _start(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.changed:
                self.connections += 1
                self.changed.notify_all()
            self._start(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            if self.mode == "hang":
                self.stopped.wait()
                return
            data = b""
            while self.mode != "die" or len(data) < self.die_after:
                want = 65536 if self.mode != "die" else self.die_after - len(data)
                chunk = conn.recv(want)
                if not chunk:
                    break
                data += chunk
            complete = self.mode in ("ok", "silent") and data.endswith((b"\x1a", b"^XZ"))
            with self.changed:
                (self.jobs if complete else self.partial).append(data)
                self.changed.notify_all()
            if self.mode == "silent":  # took it all, but never closes its side
                self.stopped.wait()

    def wait(self, predicate: Callable[[], bool], timeout: float = WAIT_S) -> bool:
        with self.changed:
            return self.changed.wait_for(predicate, timeout)

    def close(self) -> None:
        self.stopped.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close alone does not)
        self.sock.close()
        for thread in self.threads:
            thread.join(WAIT_S)


class FakeDevicePrinter:
    """A Brother on a device file: a raw pseudo-terminal. It answers `ESC i S` with `status` (or not
    at all when None) and each print command with "printing completed" (unless `complete` is False)."""

    def __init__(self, status: bytes | None = None, *, answer: bool = True, complete: bool = True) -> None:
        self.status = status or status_bytes()
        self.answer = answer
        self.complete = complete
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self.received = b""
        self.printed = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        answered = 0
        while not self.stopped.is_set():
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            self.received += chunk
            try:
                chunks = chunker(self.received)
            except IndexError:  # an instruction cut off mid-header: wait for the rest
                continue
            requests = sum(c == b"\x1biS" for c in chunks)
            prints = sum(c in (b"\x0c", b"\x1a") for c in chunks)
            replies = b""
            if self.answer:
                replies += self.status * (requests - answered)
            answered = requests
            if self.complete:
                replies += status_bytes(kind=1) * (prints - self.printed)
            self.printed = prints
            if replies:
                os.write(self.master, replies)

    def close(self) -> None:
        self.stopped.set()
        os.close(self.slave)
        os.close(self.master)
        self.thread.join(WAIT_S)


class FakeSnmpAgent:
    """Answers every SNMP GET with `value` as an OCTET STRING (Brother's status block)."""

    def __init__(self, value: bytes) -> None:
        self.value = value
        self.requests: list[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                request, peer = self.sock.recvfrom(2048)
            except OSError:
                return
            if not request:  # woken by close()
                return
            self.requests.append(request)
            [(_, message)] = snmp.parse(request)
            _, (_, community), (_, pdu) = snmp.parse(message)
            (_, request_id), *_rest, (_, varbinds) = snmp.parse(pdu)
            [(_, varbind)] = snmp.parse(varbinds)
            [(_, name), _] = snmp.parse(varbind)
            bind = snmp.tlv(0x30, snmp.tlv(0x30, snmp.tlv(0x06, name) + snmp.tlv(0x04, self.value)))
            pdu = snmp.tlv(0xA2, snmp.tlv(0x02, request_id) + snmp.integer(0) + snmp.integer(0) + bind)
            reply = snmp.tlv(0x30, snmp.integer(0) + snmp.tlv(0x04, community) + pdu)
            self.sock.sendto(reply, peer)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(WAIT_S)


def closed_port() -> int:
    """A loopback port nobody listens on: a printer there refuses every connection at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
