"""What the three daily-flow screens (receive, make, sell) share: the form's behaviour, once.

- A hint per field (`hint`), shown in `#hint` while that field has the focus.
- One finish: a `#confirm` button that does what Enter on the last field, Ctrl+S or the DONE
  barcode do (`action_done`); `busy` keeps a second DONE from recording the same thing twice
  while the first is still being written.
- A refused finish (`submit`) says why and puts the cursor on the field the refusal is about
  (`FIELDS`: the words that mark a service's message as being about a field), so typing the
  correction goes where it belongs and not into the button.
- Escape (or CANCEL) on a form holding typed or scanned work asks before throwing it away
  (`draft` says what would be lost); a second Escape or CANCEL confirms. On an empty form it goes
  back to Home. Switching screens never clears a form: each mode keeps its screen.
- A scan that would change what the form is about (another product while making one) is
  refused with a message, never silently swapped in (`keeps`).
- The labels a finished form queued are followed (`follow_job`): what the screen says about
  them changes as the queue sends, holds or fails them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

from textual import events, on, work
from textual.timer import Timer
from textual.widgets import Button, Static

from tui.errors import InvalidInput, LotkeeperError
from tui.screens.base import LotScreen
from tui.screens.context import ScreenContext
from tui.services.printing import Job
from tui.store.models import JobStatus
from tui.widgets.ask import Answer, Ask
from tui.widgets.literal import literal
from tui.widgets.record_form import field_named

T = TypeVar("T")

FOLLOW_S = 1.0
"""How often the labels a form queued are looked up while any of them may still change."""
SETTLED = (JobStatus.SENT, JobStatus.CANCELLED)


class FormScreen(LotScreen):
    HINTS: ClassVar[dict[str, str]] = {}
    FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {}
    """Field id -> words that mark a service's refusal as being about that field."""
    DRAFT: ClassVar[str] = "form"
    """What one filled form is called: order, receipt, batch."""

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.busy = False
        self._followed: dict[int, tuple[JobStatus, Callable[[Job], None]]] = {}
        self._follow_timer: Timer | None = None

    def hint(self, field: str) -> str:
        return self.HINTS.get(field, "")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for node in (event.widget, *event.widget.ancestors):
            if node.id and (text := self.hint(node.id)):
                self.query_one("#hint", Static).update(literal(text))
                return

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self) -> None:
        self.action_done()

    # -- labels queued ------------------------------------------------------------------------

    def follow_job(self, job: Job, show: Callable[[Job], None]) -> None:
        """Call `show` with the job whenever its status changes, until it is sent or cancelled."""
        show(job)
        if job.status not in SETTLED:
            self._followed[job.id] = (job.status, show)
        if self._followed and self._follow_timer is None:
            self._follow_timer = self.set_interval(FOLLOW_S, self._look_at_jobs)

    def _look_at_jobs(self) -> None:
        if self._followed:
            self._jobs_changed()

    @work(exclusive=True, group="follow-labels", name="following labels", exit_on_error=False)
    async def _jobs_changed(self) -> None:
        for job_id, (status, show) in list(self._followed.items()):
            job = await self.ctx.printing.job(job_id)
            if job.status is not status:
                show(job)
                self._followed[job_id] = (job.status, show)
            if job.status in SETTLED:
                del self._followed[job_id]

    # -- refusals -----------------------------------------------------------------------------

    async def submit(self, work: Awaitable[T]) -> T | None:
        """Run the service call that finishes the form; a refusal is shown at its field."""
        try:
            return await work
        except LotkeeperError as exc:
            self.refused(exc)
            return None

    def refused(self, exc: LotkeeperError) -> None:
        self.report(exc)
        field = field_named(exc.message, self.FIELDS)
        if field is not None:
            self.query_one(f"#{field}").focus()

    def keeps(self, current: str | None, scanned: str, busy: bool) -> bool:
        """False (and said) when `scanned` would replace `current` while work on it is under way."""
        if current is None or current == scanned or not busy:
            return True
        self.report(
            InvalidInput(
                f"{scanned} scanned while the {self.DRAFT} of {current} is under way: finish it, "
                f"or Escape to start over, then scan {scanned} again"
            )
        )
        return False

    # -- throwing a form away -----------------------------------------------------------------

    def draft(self) -> str | None:
        """What Escape would throw away, for the question (None: nothing typed or scanned)."""
        return None

    def reset(self) -> None:
        """Empty the form, cursor on its first field."""

    def action_cancel(self) -> None:
        draft = self.draft()
        if draft is None:
            super().action_cancel()
            return
        question = f"Throw away this {self.DRAFT} ({draft})? Nothing of it has been saved."
        keep, discard = Answer(f"keep the {self.DRAFT}", False), Answer("throw it away", True)
        self.app.push_screen(Ask(question, enter=keep, escape=discard), self._discarded)

    def _discarded(self, discard: bool | None) -> None:
        if discard:
            self.call_after_refresh(self.reset)  # once the dialog has handed the focus back
            self.say(f"{self.DRAFT} cleared: nothing was saved")
