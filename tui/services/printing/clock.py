"""Can today's date be trusted? A Raspberry Pi has no battery clock.

After a power cut without network, a Pi starts with the time it last saved (fake-hwclock) or
with 1970: a "made" or "best before" date printed then is wrong, and on a food or cosmetics
label that matters. So dated labels wait (HELD) until the clock is synchronised or a person
confirms today's date; the check and the confirmation are written to the Event log. Whether
the clock is synchronised is sensed by `tui.devices.clock`; this is the rule.

A confirmation holds for this boot and this calendar day only: a later boot may restore a stale
clock that happens to show a date someone once confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tui.devices.clock import SyncSource, boot_id, system_clock_synced
from tui.errors import InvalidInput
from tui.store.models import Event, Station

CHECKED, CONFIRMED = "clock_check", "clock_confirmed"
"""Event kinds: the clock's state as it changed, and a person's confirmation of the date."""


@dataclass(frozen=True)
class ClockState:
    trusted: bool
    synced: bool | None
    confirmed: bool
    today: date
    message: str


class ClockGuard:
    """Whether dated labels may print now; a person's confirmation of the date, kept as an event."""

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
