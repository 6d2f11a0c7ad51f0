"""Which stable reading is a new weight: never the one already on the pan, never zero."""

from decimal import Decimal

from tui.codes.units import Quantity, find_unit
from tui.devices.scales import ScaleReading
from tui.devices.scales.fresh import FreshWeight


def reading(grams: str, stable: bool = True) -> ScaleReading:
    unit = find_unit("g")
    assert unit is not None
    return ScaleReading("bench", Quantity(Decimal(grams), unit), stable, "and", 0.0)


def test_the_weight_on_the_pan_when_weighing_began_is_not_taken_until_the_pan_changes() -> None:
    fresh = FreshWeight(reading("350"))  # the last line's container is still on the pan
    assert not fresh.take(reading("350"))
    assert not fresh.take(reading("351", stable=False))  # lifted...
    assert fresh.take(reading("350"))  # ...and put back: now it counts


def test_zero_and_moving_readings_are_never_taken_and_a_new_weight_is() -> None:
    fresh = FreshWeight(None)
    assert not fresh.take(reading("0"))  # tared bowl
    assert not fresh.take(reading("-0.4"))
    assert not fresh.take(reading("120", stable=False))
    assert fresh.take(reading("120.5"))


def test_a_polled_scale_that_jumps_to_another_stable_weight_gives_it() -> None:
    fresh = FreshWeight(reading("80"))
    assert fresh.take(reading("95"))
