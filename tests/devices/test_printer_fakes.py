"""The fake printers of tests/support/printers.py: a test that trusts them trusts these."""

from __future__ import annotations

import os
import select
import socket

from tests.support.printers import WAIT_S, FakeDevicePrinter, FakeTcpPrinter, status_bytes


def test_fake_tcp_printer_separates_complete_and_partial_jobs() -> None:
    printer = FakeTcpPrinter()
    try:
        for payload in (b"\x00" * 10 + b"\x1a", b"\x00\x00"):
            with socket.create_connection(("127.0.0.1", printer.port), timeout=WAIT_S) as conn:
                conn.sendall(payload)
        assert printer.wait(lambda: len(printer.jobs) + len(printer.partial) == 2)
        assert printer.jobs == [b"\x00" * 10 + b"\x1a"]
        assert printer.partial == [b"\x00\x00"]
    finally:
        printer.close()


def test_fake_device_answers_status_requests() -> None:
    device = FakeDevicePrinter(status_bytes(error2=0x10))
    try:
        fd = os.open(device.path, os.O_RDWR | os.O_NOCTTY)
        os.write(fd, b"\x00" * 10 + b"\x1b@\x1biS")
        reply = b""
        while len(reply) < 32 and select.select([fd], [], [], WAIT_S)[0]:
            reply += os.read(fd, 32)
        os.close(fd)
        assert reply == status_bytes(error2=0x10)
    finally:
        device.close()
