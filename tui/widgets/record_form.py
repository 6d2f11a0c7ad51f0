"""A small add/edit form whose validation is the service's own: the message goes under its field.

The form does not know the rules. It hands the typed values to a `save` coroutine (which calls
a store service); when that raises a LotkeeperError, the message is shown under the field it is
about (the field whose keywords appear first in it, e.g. "SKU" or "shelf life"), or above the
buttons when it names none. Nothing is written on a refused save: the services promise that.

Scans typed into the form land in the focused field (a supplier's GTIN into "Codes", say), and
end it: the cursor moves on, so typing after a scan never runs into the scanned code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.codes.scan import GS, clean_scan
from tui.errors import LotkeeperError
from tui.widgets.literal import clean, literal
from tui.widgets.scans import Scanned

Values = dict[str, str]


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    keywords: tuple[str, ...] = ()
    """Words that mark a service message as being about this field (matched case-insensitively)."""
    offer: str | None = None
    """A suggested value the maker takes with ctrl+n (e.g. the next free GTIN)."""
    multi: str | None = None
    """Separator when the field holds a list: a scan is then added, not replacing the value."""


def field_named(message: str, keywords: Mapping[str, Sequence[str]]) -> str | None:
    """The field a message is about: earliest keyword in the message, longest on a tie."""
    text = message.lower()
    best: tuple[int, int, str] | None = None
    for key, words in keywords.items():
        for word in words:
            at = text.find(word.lower())
            if at >= 0 and (best is None or (at, -len(word)) < best[:2]):
                best = (at, -len(word), key)
    return best[2] if best else None


def field_for(message: str, fields: tuple[FormField, ...]) -> str | None:
    """The field of a form a message is about (see `field_named`)."""
    return field_named(message, {f.key: f.keywords for f in fields})


class RecordForm(ModalScreen[str | None]):
    """Dismisses with the save's confirmation text, or None when cancelled."""

    DEFAULT_CSS = """
    RecordForm { align: center middle; }
    RecordForm #form { width: 76; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
        border: round $accent; background: $surface; padding: 0 1; }
    RecordForm #title { text-style: bold; width: 100%; }
    RecordForm .row { height: 1; margin-top: 1; }
    RecordForm .row Label { width: 14; }
    RecordForm .row Input { width: 1fr; }
    RecordForm .problem { color: $text-error; padding-left: 14; height: auto; }
    RecordForm .problem.-empty { display: none; }
    RecordForm #hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "done", "Save", id="form.save", tooltip="Save (Enter in the last field too)"),
        Binding("ctrl+n", "offer", "Suggested", id="form.offer", tooltip="Fill in the suggested value"),
    ]

    def __init__(
        self,
        title: str,
        fields: tuple[FormField, ...],
        save: Callable[[Values], Awaitable[str]],
        suggest: Callable[[Values], Mapping[str, str | None]] | None = None,
        command_prefix: str = "LK!",
        start: str | None = None,
    ) -> None:
        super().__init__()
        self.start = start
        """The field the cursor starts in (None: the first)."""
        self.command_prefix = command_prefix
        self.form_title = title
        self.fields = fields
        self._save = save
        self._suggest = suggest
        self._suggested: Values = {}
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(literal(self.form_title), id="title")
            for f in self.fields:
                with Horizontal(classes="row"):
                    yield Label(literal(f.label))
                    yield Input(
                        f.value,
                        placeholder=clean(f.placeholder),
                        id=f"f-{f.key}",
                        compact=True,
                        select_on_focus=False,
                    )
                yield Static("", id=f"e-{f.key}", classes="problem -empty")
            yield Static("", id="e-form", classes="problem -empty")
            yield Static("Enter: next field / save   ctrl+s: save   Esc: cancel", id="hint")

    def on_mount(self) -> None:
        if self.start is not None:
            self.query_one(f"#f-{self.start}", Input).focus()

    def values(self) -> Values:
        return {f.key: self.query_one(f"#f-{f.key}", Input).value for f in self.fields}

    def show_problem(self, key: str | None, message: str) -> None:
        """Put `message` under field `key` (or the form), clearing every other message."""
        target = f"e-{key}" if key else "e-form"
        for box in self.query(".problem").results(Static):
            text = message if box.id == target else ""
            box.update(literal(text))
            box.set_class(not text, "-empty")
        if key:
            self.query_one(f"#f-{key}", Input).focus()

    @on(Input.Changed)
    def _suggest_values(self, event: Input.Changed) -> None:
        if self._suggest is None or event.input.id in {f"f-{k}" for k in self._suggested}:
            return
        values = self.values()
        for key, suggestion in self._suggest(values).items():
            box = self.query_one(f"#f-{key}", Input)
            # Only fill a field the maker has not typed into (empty or still our last suggestion).
            if box.value in ("", self._suggested.get(key, "")):
                self._suggested[key] = suggestion or ""
                with box.prevent(Input.Changed):
                    box.value = suggestion or ""

    @on(Input.Submitted)
    async def _next_or_save(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == f"f-{self.fields[-1].key}":
            await self.action_done()
        else:
            self.focus_next(Input)

    async def action_done(self) -> None:
        if self._saving:
            return
        self._saving = True
        try:
            done = await self._save(self.values())
        except LotkeeperError as exc:
            self.app.bell()
            self.show_problem(field_for(exc.message, self.fields), exc.message)
            return
        except Exception as exc:  # a bug or a lost database: say so, keep the typed values
            self.app.bell()
            self.show_problem(None, f"unexpected error: {type(exc).__name__}: {exc}")
            return
        finally:
            self._saving = False
        self.dismiss(done)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_offer(self) -> None:
        focused = self.focused
        offered = [f for f in self.fields if f.offer]
        chosen = next((f for f in offered if focused is not None and focused.id == f"f-{f.key}"), None)
        chosen = chosen or next((f for f in offered if not self.query_one(f"#f-{f.key}", Input).value), None)
        if chosen is not None and chosen.offer is not None:
            self.query_one(f"#f-{chosen.key}", Input).value = chosen.offer

    def on_scanned(self, message: Scanned) -> None:
        """A scan goes into the focused field instead of opening the code elsewhere. Command
        barcodes never come here: the App runs them (DONE and CANCEL are `action_done` and
        `action_cancel` here); one it does not know goes back to the App, which says so."""
        box = self.focused
        text = clean_scan(message.scan.text).text.replace(GS, "")
        prefix = self.command_prefix.upper()
        if not isinstance(box, Input) or (prefix and text.upper().startswith(prefix)):
            return
        message.stop()
        spec = next((f for f in self.fields if box.id == f"f-{f.key}"), None)
        if spec is not None and spec.multi and box.value.strip():
            box.value = f"{box.value.rstrip().rstrip(spec.multi.strip())}{spec.multi}{text}"
        else:
            box.value = text
        self.focus_next(Input)  # a scan ends its field: what is typed next goes to the next one
