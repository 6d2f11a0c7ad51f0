"""Can today's date be trusted? A Raspberry Pi has no battery clock.

After a power cut without network, a Pi starts with the time it last saved (fake-hwclock) or
with 1970: a "made" or "best before" date printed then is wrong, and on a food or cosmetics
label that matters. So dated labels wait (HELD) until the clock is synchronised or a person
confirms today's date; the check and the confirmation are written to the Event log.

Whether the clock is synchronised comes from the kernel (`adjtimex`, read-only): every NTP
client (systemd-timesyncd, chrony, ntpd) clears its "unsynchronised" flag, and it needs neither
systemd nor D-Bus, so it also works in a container. `timedatectl` is only a fallback. The source
is a plain callable, so tests (and other platforms) can hand in their own.

A confirmation holds for this boot and this calendar day only: a later boot may restore a stale
clock that happens to show a date someone once confirmed.
"""

from __future__ import annotations

import ctypes
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tui.errors import InvalidInput
from tui.store.models import Event, Station

SyncSource = Callable[[], "bool | None"]
"""True synchronised, False not, None cannot tell."""
TIME_ERROR = 5
"""adjtimex() result while the kernel clock is unsynchronised (STA_UNSYNC) or in error."""
CHECKED, CONFIRMED = "clock_check", "clock_confirmed"


def kernel_clock_synced() -> bool | None:
    try:
        adjtimex = ctypes.CDLL(None, use_errno=True).adjtimex
    except (OSError, AttributeError):
        return None
    timex = ctypes.create_string_buffer(512)  # struct timex (~208 bytes); modes = 0: read only
    state = int(adjtimex(timex))
    return None if state < 0 else state != TIME_ERROR


def timedatectl_synced() -> bool | None:
    try:
        done = subprocess.run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=3,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    answer = done.stdout.strip()
    return {"yes": True, "no": False}.get(answer) if done.returncode == 0 else None


def system_clock_synced() -> bool | None:
    synced = kernel_clock_synced()
    return timedatectl_synced() if synced is None else synced


def boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return "unknown"


@dataclass(frozen=True)
class ClockState:
    trusted: bool
    synced: bool | None
    confirmed: bool
    today: date
    message: str


class ClockGuard:
    def __init__(
        self,
        source: SyncSource = system_clock_synced,
        *,
        require_sync: bool = True,
        unknown_is_unsynced: bool = False,
        today: Callable[[], date] = date.today,
        boot: Callable[[], str] = boot_id,
        station: str | None = None,
    ) -> None:
        self.source = source
        self.require_sync = require_sync
        self.unknown_is_unsynced = unknown_is_unsynced
        self.today = today
        self.boot = boot
        self.station = station
        self._logged: tuple[bool, date] | None = None

    def _token(self, day: date) -> str:
        return f"{day.isoformat()} boot {self.boot()}"

    async def _log(self, kind: str, message: str) -> None:
        station = await Station.get_or_create(name=self.station) if self.station else None
        await Event.create(kind=kind, message=message, station=station[0] if station else None)

    async def check(self) -> ClockState:
        today = self.today()
        synced = self.source()
        if not self.require_sync:
            return ClockState(True, synced, False, today, "clock check is switched off")
        if synced or (synced is None and not self.unknown_is_unsynced):
            how = "synchronised" if synced else "of unknown state (trusted by configuration)"
            return ClockState(True, synced, False, today, f"the clock is {how}")
        confirmed = await Event.filter(kind=CONFIRMED, message=self._token(today)).exists()
        if confirmed:
            state = ClockState(True, synced, True, today, f"{today.isoformat()} confirmed by the operator")
        else:
            state = ClockState(
                False,
                synced,
                False,
                today,
                f"the clock is not synchronised: dated labels wait until someone confirms that "
                f"today is {today.isoformat()} (lotkeeper clock confirm {today.isoformat()})",
            )
        if self._logged != (state.trusted, today):
            self._logged = (state.trusted, today)
            await self._log(CHECKED, state.message)
        return state

    async def confirm(self, day: date) -> None:
        """Record that a person vouched for today's date; refuse a date the clock disagrees with."""
        today = self.today()
        if day != today:
            raise InvalidInput(
                f"you confirmed {day.isoformat()} but this computer's clock says {today.isoformat()}: "
                "set the clock (sudo date -s 'YYYY-MM-DD HH:MM') or connect to the network, "
                "then confirm again"
            )
        await self._log(CONFIRMED, self._token(day))
        self._logged = None
