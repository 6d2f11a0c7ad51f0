"""The printers this station sends to, by name, and which one a label goes to by default."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from tui.devices.printers import Printer
from tui.errors import InvalidInput


class Printers(Mapping[str, Printer]):
    def __init__(self, printers: Iterable[Printer], default: str | None = None) -> None:
        self._by_name = {p.name: p for p in printers}
        self.default = default
        """The printer new labels go to (None: the first one)."""

    def __getitem__(self, name: str) -> Printer:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def choose(self, name: str | None = None) -> Printer:
        """`name`, else the default printer; a name nobody configured is refused."""
        if not self._by_name:
            raise InvalidInput("no printer is configured: add a [[printers]] entry to the config")
        wanted = name or self.default or next(iter(self._by_name))
        if wanted in self._by_name:
            return self._by_name[wanted]
        raise InvalidInput(f"no printer named {wanted!r} (configured: {', '.join(self._by_name)})")
