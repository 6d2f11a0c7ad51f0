"""Choosing one of a list (material, product, supplier, customer) with a numeric keypad or letters.

Every choice is numbered: typing its number and Enter picks it, so a gloved maker with only a
keypad can choose. A choice's number is its own (the catalog's stable short number, shown in the
Catalog and on the printed sheet): adding items never shifts it, so a habit of "6, Enter" keeps
meaning the same material. The list is shown in number order. Typing letters filters the list
instead, and Enter picks the highlighted entry. With nothing typed nothing is highlighted, and
Enter picks nothing (unless the arrow keys chose): a choice is never made for the maker. A list
that allows it offers "new: <typed text>" when nothing matches exactly, so a customer can be
created inline. The list shows only while the field has focus; focus stays in the text field
(the arrow keys move the highlight), so the flow is always: type, Enter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.widgets.literal import clean, literal

NEW = "\x00new"
"""Option id of the "new: <text>" entry (no choice value can contain NUL)."""


@dataclass(frozen=True)
class Choice:
    value: str
    """What the screen hands to a service: a name or a SKU."""
    label: str
    """What the maker sees (outside text: always shown literally)."""
    number: int | None = None
    """Its stable number; None: numbered by position in the list."""


class PickList(Vertical):
    """A filter field over a numbered list; posts `Picked` once a choice is made."""

    DEFAULT_CSS = """
    PickList { height: auto; }
    PickList > Input { width: 1fr; }
    PickList > OptionList { display: none; max-height: 8; height: auto; }
    PickList.-open > OptionList { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(6)", "Page down", show=False),
        Binding("pageup", "move(-6)", "Page up", show=False),
    ]

    @dataclass
    class Picked(Message):
        """A choice was made; `new` is True for a typed name that is not in the list yet."""

        pick_list: PickList
        value: str
        new: bool

        @property
        def control(self) -> PickList:
            return self.pick_list

    @dataclass
    class Refused(Message):
        """Enter was pressed but nothing can be picked; `message` says what to do."""

        pick_list: PickList
        message: str

        @property
        def control(self) -> PickList:
            return self.pick_list

    def __init__(
        self,
        what: str,
        *,
        allow_new: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.what = what
        self.allow_new = allow_new
        self.choices: tuple[Choice, ...] = ()
        self.value: str | None = None
        """The picked value, or None while nothing is picked."""
        self._shown_label = ""

    def compose(self) -> ComposeResult:
        hint = f"number or name of the {self.what}"
        yield Input(placeholder=hint, compact=True, select_on_focus=True)
        options = OptionList(compact=True)
        options.can_focus = False
        yield options

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def focus(self, scroll_visible: bool = True) -> PickList:
        self.input.focus(scroll_visible)
        return self

    def set_choices(self, choices: Iterable[Choice]) -> None:
        given = tuple(choices)
        numbered = all(c.number is not None for c in given)
        self.choices = tuple(sorted(given, key=lambda c: c.number or 0)) if numbered else given
        if self.value is not None and all(c.value != self.value for c in self.choices):
            self.value = None
        self._refilter(self.input.value)

    def clear(self) -> None:
        self.value = None
        self._shown_label = ""
        self.input.value = ""
        self._refilter("")

    def pick(self, value: str, *, new: bool = False) -> None:
        """Pick a value (from a scan, or restoring a form): shows it and posts `Picked`."""
        label = next((c.label for c in self.choices if c.value == value), value)
        self.value = value
        self._shown_label = clean(label)
        self.input.value = self._shown_label
        self.post_message(self.Picked(self, value, new))

    def numbered(self) -> list[tuple[int, Choice]]:
        """Every choice with the number that picks it."""
        return [(c.number or n, c) for n, c in enumerate(self.choices, start=1)]

    def by_number(self, number: int) -> Choice | None:
        return next((c for n, c in self.numbered() if n == number), None)

    def _visible(self, text: str) -> list[tuple[int, Choice]]:
        numbered = self.numbered()
        wanted = text.strip().casefold()
        if not wanted or wanted.isdigit():
            return numbered
        return [(n, c) for n, c in numbered if wanted in c.label.casefold()]

    def _refilter(self, text: str) -> None:
        visible = self._visible(text)
        width = len(str(max((n for n, _ in self.numbered()), default=0)))
        options = [Option(literal(f"{n:>{width}}  {c.label}"), id=str(n)) for n, c in visible]
        typed = " ".join(text.split())
        exact = any(c.label.casefold() == typed.casefold() for c in self.choices)
        if self.allow_new and typed and not typed.isdigit() and not exact:
            options.append(Option(literal(f"{'+':>{width}}  new {self.what}: {typed}"), id=NEW))
        self.options.set_options(options)
        at = next((i for i, (n, _) in enumerate(visible) if typed.isdigit() and n == int(typed)), None)
        if at is not None:
            self.options.highlighted = at
        elif options and typed:
            self.options.highlighted = 0
        else:  # nothing typed: nothing is offered as if chosen (the arrow keys choose)
            self.options.highlighted = None

    def on_descendant_focus(self) -> None:
        # `:focus-within` on the list's parent does not restyle the list on focus changes.
        self.add_class("-open")

    def on_descendant_blur(self) -> None:
        self.remove_class("-open")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self._shown_label and self.value is not None:
            return
        self.value = None
        self._refilter(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = " ".join(event.value.split())
        if self.value is not None and typed == self._shown_label:
            self.post_message(self.Picked(self, self.value, False))
            return
        if not typed:
            chosen = self.options.highlighted_option  # picked with the arrow keys
            if chosen is None:
                self._refuse(f"choose a {self.what}")
            else:
                self._pick_option(chosen.id, typed)
            return
        if typed.isdigit():
            choice = self.by_number(int(typed))
            if choice is not None:
                self.pick(choice.value)
            else:
                self._refuse(f"there is no {self.what} number {typed}")
            return
        option = self.options.highlighted_option
        if option is None:
            self._refuse(f"no {self.what} matches {typed!r}")
        else:
            self._pick_option(option.id, typed)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.input.focus()
        self._pick_option(event.option.id, " ".join(self.input.value.split()))

    def _pick_option(self, option_id: str | None, typed: str) -> None:
        if option_id == NEW:
            self.pick(typed, new=True)
        elif (choice := self.by_number(int(option_id or 0))) is not None:
            self.pick(choice.value)

    def _refuse(self, reason: str) -> None:
        hint = "type its number from the list" if self.choices else f"there is no {self.what} yet"
        self.post_message(self.Refused(self, f"{reason}: {hint}, or type part of the name"))

    def action_move(self, step: int) -> None:
        options = self.options
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else (-1 if step > 0 else 0)
            options.highlighted = max(0, min(options.option_count - 1, current + step))
