"""One exception hierarchy for everything a maker can act on.

Every message is written for the person at the bench: it says what is wrong and what to do.
The CLI prints it after `error:` and exits 2; the TUI shows it and rings the bell.
"""

from __future__ import annotations


class LotkeeperError(Exception):
    """Base of every error whose message is meant for the user."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class ConfigError(LotkeeperError):
    """The configuration file is missing, unreadable or has a wrong key or value."""


class InvalidInput(LotkeeperError):
    """A quantity, date, code or name that cannot be accepted as typed or scanned."""


class NotFound(LotkeeperError):
    """A material, product, lot, customer or order that does not exist."""


class Duplicate(LotkeeperError):
    """Something that must be unique (SKU, GTIN, lot code, name) already exists."""


class InsufficientStock(LotkeeperError):
    """Not enough on hand to consume, sell or adjust."""


class RecipeDeviation(InvalidInput):
    """The amounts named for a batch stray from its recipe beyond the tolerance: a slip of the
    keypad, or on purpose (then the maker says so and it is recorded)."""


class ExpiredLot(LotkeeperError):
    """A lot past its expiry date was named explicitly."""


class MissingExtra(LotkeeperError):
    """A feature whose libraries the bench Pi's base install leaves out (pyproject's extras)."""


class StoreError(LotkeeperError):
    """The database cannot be opened, migrated or written."""


class DeviceError(LotkeeperError):
    """A scanner or printer is missing, unplugged or refusing."""


class PrinterError(DeviceError):
    """A printer could not take a label (offline, no media, cover open...)."""


class ScannerError(DeviceError):
    """A scanner could not be opened or went away."""


class ScaleError(DeviceError):
    """A scale could not be opened, went away, or gave no stable weight in time."""
