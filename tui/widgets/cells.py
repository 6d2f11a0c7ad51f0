"""Outside text as a DataTable cell or a Tree label: shown literally, and measured.

A plain `str` cell is parsed as markup. A `Content` cell is not measured by DataTable (it sizes
columns with Rich's measure protocol, which Content does not implement), so its column collapses
to the header's width; and a `Content` tree label crashes Textual 8.2's Tree. A Rich `Text` built
from cleaned text is both literal and measured.
"""

from __future__ import annotations

from rich.text import Text

from tui.widgets.literal import clean


def cell(value: object, style: str = "") -> Text:
    return Text(clean(value), style=style, no_wrap=True, overflow="ellipsis", end="")
