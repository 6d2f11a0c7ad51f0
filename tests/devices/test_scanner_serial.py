"""Serial scanners on real pseudo-terminals: scans, unplug, replug, bad ports, clean stop."""

import asyncio
import errno
import os
import threading

import pytest
import serial

from tui.config import ScannerConfig
from tui.devices.scanners import GS, Scan, ScannerStatus
from tui.devices.scanners.serial import SerialScanner, open_error_message
from tui.errors import ScannerError

TIMEOUT = 5.0


def new_pty():
    """A master fd (the 'scanner' side) and the slave path the app opens as its port."""
    master, slave = os.openpty()
    path = os.ttyname(slave)
    os.close(slave)
    return master, path


def cfg_for(port, **kw):
    return ScannerConfig(name="bench", kind="serial", port=str(port), **kw)


class Listener:
    """Reads a source's events in a task so a test can wait for the one it expects."""

    def __init__(self, source):
        self.source = source
        self.queue = asyncio.Queue()
        self.task = asyncio.create_task(self._pump())

    async def _pump(self):
        async for event in self.source.events():
            await self.queue.put(event)
        await self.queue.put(None)

    async def next(self, kind=object, timeout=TIMEOUT):
        """The next event of `kind`, skipping others."""
        async with asyncio.timeout(timeout):
            while True:
                event = await self.queue.get()
                if event is None:
                    raise AssertionError("event stream ended")
                if isinstance(event, kind):
                    return event

    async def status(self, connected):
        while True:
            event = await self.next(ScannerStatus)
            if event.connected == connected:
                return event


@pytest.fixture
async def pty_scanner(request):
    master, path = new_pty()
    extra = getattr(request, "param", {})
    scanner = SerialScanner(cfg_for(path, **extra))
    await scanner.start()
    listener = Listener(scanner)
    assert (await listener.next()).connected
    yield master, listener
    await scanner.stop()
    os.close(master)


async def test_scans_arrive_clean_with_gs_kept(pty_scanner):
    master, listener = pty_scanner
    os.write(master, b"]C1010950110102091710AB\x1d17270131\r\nLOT\x1b[2J-7\r")
    first = await listener.next(Scan)
    assert (first.text, first.source) == ("]C1010950110102091710AB" + GS + "17270131", "bench")
    assert (await listener.next(Scan)).text == "LOT[2J-7"  # LF of CRLF and ESC dropped


@pytest.mark.parametrize("pty_scanner", [{"prefix": "\x02", "suffix": "\x03"}], indirect=True)
async def test_stx_etx_framing_is_stripped(pty_scanner):
    master, listener = pty_scanner
    os.write(master, "\x02CANDLE-LAV-Ø\x03\r".encode())
    assert (await listener.next(Scan)).text == "CANDLE-LAV-Ø"


async def test_unterminated_scan_arrives_after_silence(pty_scanner):
    master, listener = pty_scanner
    os.write(master, b"NO-TERMINATOR")  # scanner set to LF-less, config says CR
    assert (await listener.next(Scan)).text == "NO-TERMINATOR"


async def test_unplug_and_replug_via_port_symlink(tmp_path):
    link = tmp_path / "scanner"
    master, path = new_pty()
    link.symlink_to(path)
    scanner = SerialScanner(cfg_for(link))
    await scanner.start()
    listener = Listener(scanner)
    try:
        assert (await listener.status(True)).reason == f"reading {link}"
        os.write(master, b"BEFORE-1\r")
        assert (await listener.next(Scan)).text == "BEFORE-1"

        os.close(master)  # unplug: the device goes, then its node
        link.unlink()
        gone = await listener.status(False)
        assert "unplugged" in gone.reason and "waiting for it to come back" in gone.reason

        master, path = new_pty()  # replug, possibly under another pts number
        link.symlink_to(path)
        await listener.status(True)
        os.write(master, b"AFTER-2\r")
        assert (await listener.next(Scan)).text == "AFTER-2"
    finally:
        await scanner.stop()
        os.close(master)
    await asyncio.wait_for(listener.task, TIMEOUT)  # the event stream ended with stop()


def started_since(before):
    """Threads that began after `before` was taken. Counting all threads was flaky: a thread of
    an earlier test (an aiosqlite worker outlives its connection's close by a moment) could end
    during this one."""
    return [t for t in threading.enumerate() if t not in before]


async def test_missing_port_is_a_clear_error_and_starts_nothing(tmp_path):
    before = set(threading.enumerate())
    scanner = SerialScanner(cfg_for(tmp_path / "ttyACM9"))
    with pytest.raises(ScannerError) as caught:
        await scanner.start()
    assert "does not exist" in caught.value.message and "Plug the scanner in" in caught.value.message
    assert started_since(before) == []
    await scanner.stop()  # harmless before a successful start


async def test_a_thread_of_an_earlier_test_ending_meanwhile_does_not_matter(tmp_path):
    """The flake, made certain: another thread ends while the scanner fails to start."""
    release = threading.Event()
    lingering = threading.Thread(target=release.wait, name="earlier-test-worker")
    lingering.start()
    before = set(threading.enumerate())
    scanner = SerialScanner(cfg_for(tmp_path / "ttyACM9"))
    with pytest.raises(ScannerError):
        await scanner.start()
    release.set()
    lingering.join()
    assert started_since(before) == []


async def test_regular_file_is_not_a_serial_port(tmp_path):
    fake = tmp_path / "notes.txt"
    fake.write_text("x")
    with pytest.raises(ScannerError, match="is not a serial port"):
        await SerialScanner(cfg_for(fake)).start()


async def test_port_in_use_by_another_reader(pty_scanner):
    master, listener = pty_scanner
    port = listener.source.cfg.port
    with pytest.raises(ScannerError, match="in use by another program"):
        await SerialScanner(cfg_for(port)).start()
    os.write(master, b"STILL-OURS\r")  # the first reader is unaffected
    assert (await listener.next(Scan)).text == "STILL-OURS"


def test_permission_denied_names_the_fix():
    exc = serial.SerialException(errno.EACCES, "could not open port /dev/ttyACM0: Permission denied")
    message = open_error_message(cfg_for("/dev/ttyACM0"), exc)
    assert "dialout" in message and "udev" in message


async def test_stop_joins_the_thread_and_closes_every_fd(tmp_path):
    fds = set(os.listdir("/proc/self/fd"))
    master, path = new_pty()
    scanner = SerialScanner(cfg_for(path))
    await scanner.start()
    assert any(t.name == "scanner:bench" for t in threading.enumerate())
    await scanner.stop()
    os.close(master)
    assert not any(t.name == "scanner:bench" for t in threading.enumerate())
    assert set(os.listdir("/proc/self/fd")) == fds


async def test_stop_while_waiting_for_replug(tmp_path):
    link = tmp_path / "scanner"
    master, path = new_pty()
    link.symlink_to(path)
    scanner = SerialScanner(cfg_for(link))
    await scanner.start()
    listener = Listener(scanner)
    os.close(master)
    link.unlink()
    await listener.status(False)
    await scanner.stop()  # interrupts the backoff wait at once
    await asyncio.wait_for(listener.task, TIMEOUT)
    assert not any(t.name == "scanner:bench" for t in threading.enumerate())
