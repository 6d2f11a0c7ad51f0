"""The clock rule: trusted when synchronised, or when a person confirmed today's date in this boot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tui.devices.clock import kernel_clock_synced, system_clock_synced
from tui.errors import InvalidInput
from tui.services.printing.clock import CHECKED, CONFIRMED, ClockGuard
from tui.store.models import Event

DAY = date(2026, 11, 5)


def test_kernel_flag_is_read_without_privileges() -> None:
    # adjtimex with modes = 0 only reads; on Linux it always answers (True or False)
    assert kernel_clock_synced() in (True, False)
    assert system_clock_synced() == kernel_clock_synced()


async def test_synchronised_or_switched_off_is_trusted_without_a_log(store: object) -> None:
    assert (await ClockGuard(lambda: True).check()).trusted
    assert (await ClockGuard(lambda: False, require_sync=False).check()).trusted
    assert await Event.all().count() == 0


async def test_unknown_state_follows_the_configuration(store: object) -> None:
    assert (await ClockGuard(lambda: None).check()).trusted
    strict = await ClockGuard(lambda: None, unknown_is_unsynced=True, today=lambda: DAY).check()
    assert not strict.trusted and "lotkeeper clock confirm 2026-11-05" in strict.message


async def test_confirmation_holds_for_this_boot_and_this_day(store: object) -> None:
    today = [DAY]
    guard = ClockGuard(lambda: False, today=lambda: today[0], boot=lambda: "boot-a", station="bench")
    assert not (await guard.check()).trusted
    assert not (await guard.check()).trusted
    assert await Event.filter(kind=CHECKED).count() == 1  # logged when the state changes, not every check
    with pytest.raises(InvalidInput, match="you confirmed 2026-11-04"):
        await guard.confirm(DAY - timedelta(days=1))
    assert await Event.filter(kind=CONFIRMED).count() == 0
    await guard.confirm(DAY)
    state = await guard.check()
    assert state.trusted and state.confirmed
    event = await Event.get(kind=CONFIRMED).prefetch_related("station")
    assert event.station is not None and event.station.name == "bench"
    today[0] = DAY + timedelta(days=1)
    assert not (await guard.check()).trusted
    later_boot = ClockGuard(lambda: False, today=lambda: DAY, boot=lambda: "boot-b")
    assert not (await later_boot.check()).trusted
    assert await Event.filter(kind=CHECKED).count() == 4
