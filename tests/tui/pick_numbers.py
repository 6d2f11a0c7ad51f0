"""The number a maker types to pick an entry of a PickList: read off the list as it is shown."""

from __future__ import annotations

from tui.widgets.pick_list import PickList


def number_of(pick: PickList, value: str) -> str:
    """The number shown in front of `value`'s entry (its label) in the open list."""
    label = next(c.label for c in pick.choices if c.value == value)
    for i in range(pick.options.option_count):
        number, _, shown = str(pick.options.get_option_at_index(i).prompt).strip().partition("  ")
        if shown == label:
            return number
    raise AssertionError(f"{value} is not in the list")
