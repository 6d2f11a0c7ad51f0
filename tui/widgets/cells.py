"""DataTable cells that show outside text literally.

A plain `str` cell is parsed as markup, and a `Content` cell is not measured by DataTable (it
sizes columns with Rich's measure protocol, which Content does not implement), so its column
collapses to the header's width. A Rich `Text` built from cleaned text is both literal and
measured.
"""

from __future__ import annotations

from rich.text import Text

from tui.widgets.literal import clean


def cell(value: object) -> Text:
    return Text(clean(value), no_wrap=True, end="")
