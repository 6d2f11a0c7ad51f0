"""The export fixtures (tests/fixtures/exports, see its README for sources and quirks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.imports import ParsedOrders, parse_orders, read_text_file

EXPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "exports"


def fixture_text(name: str) -> str:
    return read_text_file(EXPORTS / name)


@pytest.fixture
def parsed() -> dict[str, ParsedOrders]:
    """Every order export fixture, parsed with its format detected from the header."""
    names = [
        "orders_export_1.csv",
        "orders_export_2.csv",
        "orders_export_bad.csv",
        "EtsySoldOrderItems2026-10.csv",
        "EtsySoldOrders2026-10.csv",
        "items-2026-10-03-2026-10-04.csv",
        "items-bad.csv",
    ]
    return {name: parse_orders(fixture_text(name)) for name in names}
