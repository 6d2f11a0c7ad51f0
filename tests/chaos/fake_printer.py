"""A Brother on TCP loopback in a process of its own, whose behaviour changes between jobs.

The campaign process may not hold threads when it forks, so the printer is a forked child too:
one select loop, told what to do by a file (`set_mode`), keeping every job it read to the end
(what a real printer would have printed) as a file. Modes:

- `ok`: reads the job until the sender closes its side, then closes (printed if whole);
- `refuse`: nobody listens (connection refused);
- `hang`: accepts with a tiny window and never reads (the sender stops being able to write);
- `never-reads`: accepts with the kernel's usual window and never reads (the kernel takes a
  whole label into its buffers, so the sender cannot tell it from a printer that printed);
- `die`: reads a random part of the job, then drops the line.
"""

from __future__ import annotations

import contextlib
import os
import random
import selectors
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from .forking import Child, collect, spawn

MODES = ("ok", "refuse", "hang", "never-reads", "die")
HOLD_S = 10.0
"""A connection nobody reads is dropped after this long (a printer's own idle timeout)."""


@dataclass
class _Conn:
    mode: str
    opened: float
    die_after: int
    data: bytearray = field(default_factory=bytearray)


def _listener(port: int, small: bool) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if small:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    sock.bind(("127.0.0.1", port))
    sock.listen(16)
    sock.setblocking(False)
    return sock


def _serve(folder: Path, seed: int) -> int:  # pragma: no cover (runs in the child)
    rng = random.Random(seed)
    selector = selectors.DefaultSelector()
    listener: socket.socket | None = None
    kind: str | None = None
    port, count = 0, 0
    conns: dict[socket.socket, _Conn] = {}
    while True:
        mode = (folder / "mode").read_text().strip()
        want = None if mode == "refuse" else ("small" if mode == "hang" else "big")
        if want != kind:
            if listener is not None:
                selector.unregister(listener)
                listener.close()
                listener = None
            if want is not None:
                listener = _listener(port, want == "small")
                selector.register(listener, selectors.EVENT_READ)
                if not port:
                    port = listener.getsockname()[1]
                    (folder / "port.tmp").write_text(str(port))
                    os.replace(folder / "port.tmp", folder / "port")
            kind = want
        for key, _ in selector.select(0.02):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            if sock is listener:
                with contextlib.suppress(BlockingIOError):
                    conn, _ = sock.accept()
                    conn.setblocking(False)
                    conns[conn] = _Conn(mode, time.monotonic(), rng.randrange(64, 12_000))
                    if mode in ("ok", "die"):
                        selector.register(conn, selectors.EVENT_READ)
                continue
            job = conns[sock]
            try:
                chunk = sock.recv(65536)
            except OSError:
                chunk = b""
            job.data += chunk
            cut = job.mode == "die" and len(job.data) >= job.die_after
            if chunk and not cut:
                continue
            if cut:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                del job.data[job.die_after :]
            count += 1
            whole = not cut and job.data.endswith(b"\x1a")
            name = f"{'job' if whole else 'part'}-{count:05}.bin"
            (folder / name).write_bytes(bytes(job.data))
            selector.unregister(sock)
            sock.close()
            del conns[sock]
        now = time.monotonic()
        for sock, job in list(conns.items()):
            if job.mode in ("hang", "never-reads") and now - job.opened > HOLD_S:
                sock.close()
                del conns[sock]


class FakePrinter:
    def __init__(self, folder: Path, seed: int = 0) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.set_mode("ok")
        self.child: Child = spawn(lambda: _serve(folder, seed))
        deadline = time.monotonic() + 10
        while not (folder / "port").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the fake printer did not start")
            time.sleep(0.01)
        self.port = int((folder / "port").read_text())

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def set_mode(self, mode: str) -> None:
        """Takes effect within 20 ms, for connections accepted from then on."""
        (self.folder / "mode.tmp").write_text(mode)
        os.replace(self.folder / "mode.tmp", self.folder / "mode")
        time.sleep(0.03)

    def printed(self) -> list[bytes]:
        """Every whole job it read: what came out of the printer."""
        return [p.read_bytes() for p in sorted(self.folder.glob("job-*.bin"))]

    def cut_off(self) -> int:
        return len(list(self.folder.glob("part-*.bin")))

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.child.pid, 9)
        collect([self.child], timeout=10)
