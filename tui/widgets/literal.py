"""Showing outside text safely.

Scans, file contents and database rows are shown literally: `[link=x]y[/link]` must not become
markup (a default Label would crash on it) and an ESC sequence must not reach the terminal.
Every widget that shows such text goes through `literal()`.
"""

from __future__ import annotations

import re

from textual.content import Content

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: object) -> str:
    """Outside text with control characters shown as visible placeholders (GS as ␝)."""
    return _CONTROL.sub(lambda m: "␝" if m.group() == "\x1d" else "�", str(text))


def literal(text: object) -> Content:
    """A Content that displays `text` exactly, never parsed as markup."""
    return Content(clean(text))
