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
}
"""Mode -> (module, screen class, title); F1, F2... in this order."""

MODE_HELP: dict[str, str] = {
    "home": "Scan anything, alerts, recent activity",
    "receive": "Book in a delivery of material",
    "make": "Record a production batch",
    "sell": "Record an order and the batches it took",
    "trace": "Trace a lot or order; recall list",
    "stock": "Lots on hand; adjust, waste, count",
    "catalog": "Materials, products, suppliers, customers",
    "labels": "Print queue and reprints",
    "devices": "Scanners, printers, clock",
}

OPENS: dict[str, str] = {
    "material_lot": "trace",
    "batch": "trace",
    "order": "trace",
    "product": "stock",
    "material": "stock",
}
"""Scan kind -> the mode that opens it when the active screen has no use for the scan."""


def palette_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """The command palette: every mode, the theme, and every action the screen has a key for."""
    for mode, (_, _, title) in MODE_SCREENS.items():
        yield SystemCommand(f"Go to {title}", MODE_HELP[mode], partial(app.switch_mode, mode))
    yield SystemCommand("Toggle dark/light", "Switch between dark and light themes", app.action_toggle_dark)
    for active in screen.active_bindings.values():
        binding = active.binding
        if active.node is screen and binding.description and active.enabled:
            yield SystemCommand(
                binding.description,
                binding.tooltip or f"{binding.description} (key: {binding.key})",
                partial(screen.run_action, binding.action),
            )


def make_screen(mode: str, ctx: ScreenContext) -> LotScreen:
    module, name, _ = MODE_SCREENS[mode]
    screen: LotScreen = getattr(importlib.import_module(module), name)(ctx)
    return screen
