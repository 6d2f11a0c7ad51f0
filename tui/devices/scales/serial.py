"""A bench scale on a serial port (RS-232, or a USB-serial adapter), read in a thread.

The thread, hot-plug and backoff are the shared `ThreadedDevice`; what the bytes mean is the
`Decoder`'s. This module only moves bytes: it writes the polls, probes and tare/zero commands the
decoder asks for and reads what comes back.
"""

from __future__ import annotations

import queue
import time

import serial

from tui.config import ScaleConfig
from tui.devices import serialport
from tui.devices.scales.decoder import Decoder
from tui.devices.scales.events import ScaleEvent, ScaleStatus
from tui.devices.scales.protocols import protocol
from tui.devices.threaded import ThreadedDevice
from tui.errors import ConfigError, ScaleError

READ_TIMEOUT_S = 0.1
"""How long one read waits: the pace of polls, settling and noticing `stop()`."""


class SerialScale(ThreadedDevice[serial.Serial, ScaleEvent]):
    thread_prefix = "scale"

    def __init__(self, cfg: ScaleConfig) -> None:
        who = f"scale {cfg.name!r}"
        if not cfg.port:
            raise ConfigError(f"{who}: a serial scale needs `port`, e.g. /dev/ttyUSB0")
        if cfg.baudrate <= 0:
            raise ConfigError(f"{who}: `baudrate` must be positive, not {cfg.baudrate}")
        if cfg.parity not in serialport.PARITIES:
            raise ConfigError(f"{who}: `parity` is none, even or odd, not {cfg.parity!r}")
        super().__init__(cfg.name)
        self.cfg = cfg
        self._configured = protocol(cfg.protocol)
        self._commands: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._decoder: Decoder | None = None

    @property
    def protocol(self) -> str:
        """The protocol in use: configured, detected, or empty while still detecting."""
        decoder = self._decoder
        found = decoder.protocol if decoder is not None else self._configured
        return found.name if found is not None else ""

    def describe(self) -> str:
        how = self._configured.name if self._configured else "protocol detected from its first reading"
        return f"reading {self.cfg.port} at {self.cfg.baudrate} baud ({how})"

    def tare(self) -> None:
        """Ask the scale to tare; a refusal arrives later as a `ScaleNotice`."""
        self._request("tare")

    def zero(self) -> None:
        """Ask the scale to zero; a refusal arrives later as a `ScaleNotice`."""
        self._request("zero")

    def _request(self, action: str) -> None:
        decoder = self._decoder
        if decoder is None or self._handle is None:
            raise ScaleError(f"scale {self.name!r} is not connected: plug it in, then {action} again")
        self._commands.put(decoder.command(action))

    def _status(self, connected: bool, reason: str) -> ScaleEvent:
        return ScaleStatus(self.name, connected, reason)

    def _open(self) -> serial.Serial:
        cfg = self.cfg
        return serialport.open_port(
            cfg.port,
            cfg.baudrate,
            who=f"scale {cfg.name!r}",
            device="scale",
            error=ScaleError,
            timeout=READ_TIMEOUT_S,
            parity=cfg.parity,
        )

    def _read_until_stopped(self, handle: serial.Serial) -> None:
        decoder = Decoder(self.name, self._configured, started=time.monotonic())
        self._decoder = decoder
        while not self._commands.empty():  # a tare asked for before a replug is stale
            self._commands.get_nowait()
        while not self._stopping.is_set():
            try:
                while not self._commands.empty():
                    handle.write(self._commands.get_nowait())
                poll = decoder.due(time.monotonic())
                if poll is not None:
                    handle.write(poll)
                data = handle.read(max(1, handle.in_waiting))
            except (serial.SerialException, OSError) as exc:
                raise ScaleError(
                    f"scale {self.name!r} was unplugged or stopped answering on {self.cfg.port}; "
                    "waiting for it to come back."
                ) from exc
            now = time.monotonic()
            for event in decoder.feed(data, now) if data else decoder.idle(now):
                self._emit(event)

    def _interrupt(self, handle: serial.Serial) -> None:
        handle.cancel_read()

    def _close(self, handle: serial.Serial) -> None:
        handle.close()
