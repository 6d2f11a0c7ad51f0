"""A DataTable for outside text: every cell literal, every column as wide as its content.

A plain `str` cell would be parsed as markup (`[link=x]y[/link]` crashes the App), so cells are
`Content` built from cleaned text. DataTable cannot measure a Content cell (it sizes the column
to its label), so the widths are computed here, capped so one long recipe does not push the
rest away. With `wrap=True` the last column takes the room that is left and long cells wrap
onto more lines, so an error message is read in full at 80 columns.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from textual.content import Content
from textual.widgets import DataTable

from tui.widgets.literal import clean

MIN_LAST = 12
"""The last column never shrinks below this when fitting the screen."""


class LiteralTable(DataTable[Content]):
    def show(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[str, Sequence[object]]],
        *,
        widest: int = 40,
        wrap: bool = False,
    ) -> None:
        """Replace the contents with `rows` of (key, values); the cursor stays on the same key."""
        texts = [(key, [clean("" if v is None else v) for v in values]) for key, values in rows]
        widths = [
            min(widest, max([len(label), *(Content(row[i]).cell_length for _, row in texts)]))
            for i, label in enumerate(columns)
        ]
        if wrap:
            room = (self.size.width or self.app.size.width) - 2 * self.cell_padding * len(columns) - 1
            widths[-1] = max(MIN_LAST, len(columns[-1]), min(widths[-1], room - sum(widths[:-1])))
        current = self.cursor_key()
        self.clear(columns=True)
        for label, width in zip(columns, widths, strict=True):
            self.add_column(label, width=width)
        for key, row in texts:
            if wrap:
                row = ["\n".join(textwrap.wrap(t, w) or [""]) for t, w in zip(row, widths, strict=True)]
            self.add_row(*(Content(t) for t in row), key=key, height=None if wrap else 1)
        if current is not None and current in self.rows:
            self.move_cursor(row=self.get_row_index(current))

    def cursor_key(self) -> str | None:
        """The key of the highlighted row, or None when the table is empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
