"""A table that draws only the rows on screen, for lists as long as a recall's 20,000 customers.

Textual's DataTable holds every row as cells and measures each one: 20,000 rows take seconds to
add. This table holds the rows as they are (any sequence) and turns into text only the few lines
the terminal shows. Cells are outside text: shown literally (`clean`), never as markup. The
header stays on the first line and says which rows are shown; the cursor moves with the arrows,
Page Up/Down, Home/End and the mouse wheel.

It is a plain widget of fixed size (no scroll view): new rows repaint it and nothing else,
where a changed scroll size would lay out the whole screen again on every scan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import ClassVar, Generic, TypeVar, overload

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.literal import clean

T = TypeVar("T")
MEASURED_ROWS = 500
"""Column widths come from the header and this many rows (capped), not from every row."""
PADDING = 1


@dataclass(frozen=True)
class Column:
    label: str
    width: int | None = None
    """Fixed width; None: as wide as the header and the first rows' cells (at most `widest`)."""
    bold: bool = False


class Rows(Sequence[Sequence[object]], Generic[T]):
    """`items` seen through `row` one at a time: a row is made only when it is drawn."""

    def __init__(self, items: Sequence[T], row: Callable[[T], Sequence[object]]) -> None:
        self._items, self._row = items, row

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Sequence[object]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Sequence[object]]: ...
    def __getitem__(self, index: int | slice) -> Sequence[object] | Sequence[Sequence[object]]:
        if isinstance(index, slice):
            return [self._row(item) for item in self._items[index]]
        return self._row(self._items[index])


class LazyTable(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move(-1_000_000_000)", "First", show=False),
        Binding("end", "move(1_000_000_000)", "Last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lazy-table--header",
        "lazy-table--cursor",
        "lazy-table--even-row",
    }
    DEFAULT_CSS = """
    LazyTable {
        height: 1fr;
        background: $surface;
        & > .lazy-table--header { text-style: bold; background: $panel; }
        & > .lazy-table--even-row { background: $surface-lighten-1 50%; }
        & > .lazy-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .lazy-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    def __init__(self, *, widest: int = 40, id: str | None = None) -> None:
        super().__init__(id=id)
        self.widest = widest
        self.columns: tuple[Column, ...] = ()
        self.widths: tuple[int, ...] = ()
        self.rows: Sequence[Sequence[object]] = ()
        self.cursor = 0
        self.top = 0
        """Index of the row on the first line under the header."""

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def row(self, index: int) -> tuple[str, ...]:
        """The cells of row `index` as shown (literal text, untruncated)."""
        return tuple(clean("" if value is None else value) for value in self.rows[index])

    def show(self, columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> None:
        """Show `rows` (kept as they are, read only as drawn) under `columns`; cursor to the top."""
        sample = [self.row_cells(row) for row in islice(rows, MEASURED_ROWS)]
        self.columns, self.rows, self.cursor, self.top = tuple(columns), rows, 0, 0
        self.widths = tuple(
            column.width
            if column.width is not None
            else min(self.widest, max([len(column.label), *(cell_len(cells[i]) for cells in sample)]))
            for i, column in enumerate(self.columns)
        )
        self.refresh()

    def clear(self) -> None:
        self.show(self.columns, ())

    @staticmethod
    def row_cells(row: Sequence[object]) -> list[str]:
        return [clean("" if value is None else value) for value in row]

    def action_move(self, by: int) -> None:
        self.move_cursor(self.cursor + by)

    def action_page(self, pages: int) -> None:
        self.move_cursor(self.cursor + pages * max(1, self.size.height - 1))

    def move_cursor(self, row: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(row, len(self.rows) - 1))
        shown = self.shown_rows
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + shown:
            self.top = self.cursor - shown + 1
        self.refresh()

    @property
    def shown_rows(self) -> int:
        return max(1, self.size.height - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_cursor(self.top + event.y - 1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._scroll(3)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._scroll(-3)
        event.stop()

    def _scroll(self, by: int) -> None:
        self.top = max(0, min(self.top + by, len(self.rows) - self.shown_rows))
        self.cursor = max(self.top, min(self.cursor, self.top + self.shown_rows - 1))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            cells = [column.label for column in self.columns]
            style = base + self.get_component_rich_style("lazy-table--header")
        else:
            index = self.top + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, base)
            cells = self.row_cells(self.rows[index])
            style = base
            if index == self.cursor:
                style += self.get_component_rich_style("lazy-table--cursor")
            elif index % 2:
                style += self.get_component_rich_style("lazy-table--even-row")
        segments = []
        for text, column, cell_width in zip(cells, self.columns, self.widths, strict=True):
            if cell_len(text) > cell_width:
                text = set_cell_size(text, max(cell_width - 1, 0)) + "…"
            cell_style = style + Style(bold=True) if column.bold and y else style
            pad = " " * PADDING
            segments.append(Segment(pad + set_cell_size(text, cell_width) + pad, cell_style))
        if y == 0 and len(self.rows) > self.shown_rows:
            last = min(len(self.rows), self.top + self.shown_rows)
            where = f" {self.top + 1:,}-{last:,} of {len(self.rows):,} "
            strip = Strip(segments).crop_extend(0, max(width - len(where), 0), style)
            return Strip([*strip, Segment(where, style)]).crop_extend(0, width, style)
        return Strip(segments).crop_extend(0, width, style)
