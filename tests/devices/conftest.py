"""A fake bench scale on a real pseudo-terminal (tests/support/scales.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.scales import FakeScale, fake_scales


@pytest.fixture
def fake_scale() -> Iterator[type[FakeScale]]:
    """Make fakes with `fake_scale(...)`; any still plugged in are unplugged after the test."""
    yield from fake_scales()
