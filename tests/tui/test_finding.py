"""Every action can be found by name from every screen, and each screen's keys fit at 80x24 (10.11)."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

import pytest
from textual.command import CommandPalette

from tui.config import Config, PrinterConfig
from tui.screens.labels import LabelsScreen
from tui.screens.modes import MODE_SCREENS, screen_bindings
from tui.widgets.record_form import RecordForm


def footer(app: Any) -> str:
    """The bottom line of the screen as drawn at its size."""
    rows: dict[float, list[tuple[float, str]]] = {}
    svg = app.export_screenshot()
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(m[2]), []).append((float(m[1]), html.unescape(re.sub("<[^>]+>", "", m[3]))))
    return "".join(t for _, t in sorted(rows[max(rows)])).replace("\xa0", " ")


async def test_each_screens_own_keys_are_in_its_footer_at_80_columns(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for n, (_, name, _) in enumerate(MODE_SCREENS.values(), start=1):
            await pilot.press(f"f{n}")
            await wait_for(pilot, lambda name=name: type(app.screen).__name__ == name)
            await pilot.pause(0.2)
            shown = " ".join(footer(app).split())
            for binding in screen_bindings(type(app.screen)):
                if binding.show:
                    key = app.get_key_display(binding)
                    assert f"{key} {binding.description}" in shown, (name, shown)
            assert "d Confirm date" in shown or name != "LabelsScreen"


async def test_the_palette_offers_every_action_once_from_every_screen(make_app, wait_for) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for n, (_, name, _) in enumerate(MODE_SCREENS.values(), start=1):
            await pilot.press(f"f{n}")
            await wait_for(pilot, lambda name=name: type(app.screen).__name__ == name)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert [t for t, count in Counter(titles).items() if count > 1] == []
            assert "Copy selected text" not in titles
            for wanted in ("Recall drill (Trace)", "Export CSV (Trace)", "Confirm date (Labels)"):
                assert wanted in titles, (name, titles)
            assert "Print command sheet (Labels)" in titles and "Add (Catalog)" in titles


@pytest.mark.parametrize(
    ("typed", "lands"),
    [("confirm date", "Confirm today's date"), ("command sheet", "command sheet queued")],
)
async def test_typing_an_actions_name_in_the_palette_runs_it_from_home(
    make_app, demo, wait_for, typed: str, lands: str
) -> None:
    printers = (PrinterConfig(name="folder", kind="file", uri=str(demo.path.parent / "labels")),)
    app = make_app(config=Config(printers=printers), printers=printers, clock_synced=lambda: False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*typed)
        await pilot.pause(0.5)
        await pilot.press("down", "enter")
        if lands.startswith("Confirm"):
            await wait_for(pilot, lambda: isinstance(app.screen, RecordForm))
            assert app.screen.form_title == lands
            assert isinstance(app.screen_stack[-2], LabelsScreen)
        else:
            await wait_for(pilot, lambda: any(lands in n.message for n in app._notifications))
            assert isinstance(app.screen, LabelsScreen)
