"""A DataTable for outside text: every cell literal, every column as wide as its content.

A plain `str` cell would be parsed as markup (`[link=x]y[/link]` crashes the App), so cells are
`Content` from `literal()`. DataTable cannot measure a Content cell (it sizes the column to its
label), so the widths are computed here, capped so one long recipe does not push the rest away.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content
from textual.widgets import DataTable

from tui.widgets.literal import literal


class LiteralTable(DataTable[Content]):
    def show(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[str, Sequence[object]]],
        *,
        widest: int = 40,
    ) -> None:
        """Replace the contents with `rows` of (key, values); the cursor stays on the same key."""
        cells = [(key, [literal("" if v is None else v) for v in values]) for key, values in rows]
        widths = [
            min(widest, max([len(label), *(row[i].cell_length for _, row in cells)]))
            for i, label in enumerate(columns)
        ]
        current = self.cursor_key()
        self.clear(columns=True)
        for label, width in zip(columns, widths, strict=True):
            self.add_column(label, width=width)
        for key, row in cells:
            self.add_row(*row, key=key)
        if current is not None and current in self.rows:
            self.move_cursor(row=self.get_row_index(current))

    def cursor_key(self) -> str | None:
        """The key of the highlighted row, or None when the table is empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
