"""The App's modes: one screen each, its key, its title, and which scans open it.

Screens are imported when first shown, so the App starts fast; each is made with the
`ScreenContext` the App hands it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from tui.screens.base import LotScreen
    from tui.screens.context import ScreenContext

MODE_SCREENS: dict[str, tuple[str, str, str]] = {
    "home": ("tui.screens.home", "HomeScreen", "Home"),
    "receive": ("tui.screens.receive", "ReceiveScreen", "Receive"),
    "make": ("tui.screens.make", "MakeScreen", "Make"),
    "sell": ("tui.screens.sell", "SellScreen", "Sell"),
    "trace": ("tui.screens.trace", "TraceScreen", "Trace"),
    "stock": ("tui.screens.stock", "StockScreen", "Stock"),
    "catalog": ("tui.screens.catalog", "CatalogScreen", "Catalog"),
    "labels": ("tui.screens.labels", "LabelsScreen", "Labels"),
    "devices": ("tui.screens.devices", "DevicesScreen", "Devices"),
    "pack": ("tui.screens.pack", "PackScreen", "Pack"),
    "reports": ("tui.screens.reports", "ReportsScreen", "Reports"),
}
"""Mode -> (module, screen class, title); F1, F2... F11 in this order."""

MODE_HELP: dict[str, str] = {
    "home": "Scan anything, alerts, recent activity",
    "receive": "Book in a delivery of material",
    "make": "Record a production batch",
    "sell": "Record an order and the batches it took",
    "trace": "Trace a lot or order; recall list",
    "stock": "Lots on hand; move, stocktake, adjust, waste, count",
    "catalog": "Materials, products, suppliers, customers",
    "labels": "Print queue and reprints",
    "devices": "Scanners, printers, clock",
    "pack": "Pack imported orders by scanning; import order files",
    "reports": "Cost of goods, stock value, sales, waste, batch records",
}

OPENS: dict[str, str] = {
    "material_lot": "trace",
    "batch": "trace",
    "order": "trace",
    "product": "stock",
    "material": "stock",
    "location": "stock",
}
"""Scan kind -> the mode that opens it when the active screen has no use for the scan."""


def mode_bindings() -> list[Binding]:
    """F1-F11 open the modes. The footer shows them as one entry, "f1-f11 Screens" (on F1, which
    goes Home), so each screen's own keys keep their room at 80 columns."""
    keys = ", ".join(f"F{n} {title}" for n, (_, _, title) in enumerate(MODE_SCREENS.values(), start=1))
    return [
        Binding(
            f"f{n}",
            f"switch_mode('{mode}')",
            "Screens" if n == 1 else title,
            show=n == 1,
            key_display=f"f1-f{len(MODE_SCREENS)}" if n == 1 else None,
            id=f"mode.{mode}",
            tooltip=keys if n == 1 else MODE_HELP[mode],
        )
        for n, (mode, (_, _, title)) in enumerate(MODE_SCREENS.items(), start=1)
    ]


LOCAL_ACTIONS = frozenset({"done", "cancel", "undo"})
"""Actions on what a screen holds (finish, clear, undo): offered only on that screen."""


def screen_bindings(screen: type[Screen[Any]]) -> list[Binding]:
    """The bindings our screen classes declare (Textual's own, like Tab, are not actions to
    offer), a subclass's replacing its base's for the same key; mode digits excepted."""
    by_key: dict[str, Binding] = {}
    for cls in reversed(screen.__mro__):
        if cls.__module__.startswith("tui.") and "BINDINGS" in vars(cls):
            by_key |= {b.key: b for b in vars(cls)["BINDINGS"] if isinstance(b, Binding)}
    return [b for b in by_key.values() if b.description and not b.action.startswith("app.")]


async def _run_in(app: App[Any], mode: str, action: str) -> None:
    await app.switch_mode(mode)
    await app.screen.run_action(action)


def palette_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """The command palette: every mode, the theme, and every action of every screen by name,
    from wherever it is opened (a screen's finish, clear and undo only on that screen)."""
    for n, (mode, (_, _, title)) in enumerate(MODE_SCREENS.items(), start=1):
        yield SystemCommand(f"Go to {title}: {MODE_HELP[mode]}", f"F{n}", partial(app.switch_mode, mode))
    yield SystemCommand("Toggle dark/light", "Switch between dark and light themes", app.action_toggle_dark)
    seen: set[str] = set()
    for mode, (module, name, title) in MODE_SCREENS.items():
        here = type(screen).__name__ == name
        for binding in screen_bindings(getattr(importlib.import_module(module), name)):
            command = f"{binding.description} ({title})"
            if command in seen or (binding.action in LOCAL_ACTIONS and not here):
                continue
            seen.add(command)
            run = (
                partial(screen.run_action, binding.action)
                if here
                else partial(_run_in, app, mode, binding.action)
            )
            yield SystemCommand(command, binding.tooltip or f"key: {binding.key}", run)


def make_screen(mode: str, ctx: ScreenContext) -> LotScreen:
    module, name, _ = MODE_SCREENS[mode]
    screen: LotScreen = getattr(importlib.import_module(module), name)(ctx)
    return screen
