"""The labels of a lot just received or made, from the command line: queued as the screens queue
them, then sent at once (a script has no print worker running behind it).

Only printers the config file names count: the built-in folder printer (for trying the app
without hardware) does not make every scripted receipt write image files. The lot is already
written when its label is asked for, so a label that cannot be queued or
does not print is a note on stderr, never an error: the receipt or batch stands, and the job
waits in the queue (`lotkeeper queue`) like any other. The printing service is imported only
here, when a label is wanted, so the other commands do not pay for the label renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click

from tui.cli.base import CliContext
from tui.codes.scan import printable
from tui.config import Config
from tui.errors import LotkeeperError

BUILT_IN = Config().printers
"""What `printers` is when the config file names none."""


def printers_configured(cli: CliContext) -> bool:
    return bool(cli.config.printers) and cli.config.printers != BUILT_IN


@dataclass(frozen=True)
class LotLabel:
    """How the label of a new lot ended: printed, waiting in the queue, or not queued at all."""

    job: int | None
    status: str
    """`sent`, `queued`, `held`, `failed` (as in `lotkeeper queue`) or `not queued`."""
    copies: int
    printer: str | None
    note: str | None
    """Why it did not print (None when it did)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "status": self.status,
            "copies": self.copies,
            "printer": self.printer,
            "note": self.note,
        }


async def label_new_lot(cli: CliContext, code: str) -> LotLabel | None:
    """Queue and send the labels of lot `code`; None when no printer is configured."""
    if not printers_configured(cli):
        return None
    from tui.services.printing import PrintService
    from tui.store.models import JobStatus

    try:
        printing = PrintService.from_config(cli.config)
        job = await printing.enqueue_new_lot(code, cli.config.labels)
        if job.status is JobStatus.QUEUED:
            await printing.process_once()
            job = await printing.job(job.id)
    except LotkeeperError as exc:
        return LotLabel(None, "not queued", 0, None, exc.message)
    note = None
    if job.status is JobStatus.HELD:
        note = "held until the date is confirmed: lotkeeper clock confirm YYYY-MM-DD"
    elif job.status is not JobStatus.SENT:
        note = job.last_error or "waiting for the printer"
    return LotLabel(job.id, job.status.value, job.copies, job.printer, note)


def with_label(cli: CliContext, document: dict[str, Any], label: LotLabel | None) -> dict[str, Any]:
    """A `--json` document with its `label` key, when labels are printed at all."""
    return {**document, "label": label} if printers_configured(cli) else document


def say_label(code: str, label: LotLabel | None) -> None:
    """A label that did not print is said on stderr (the command still succeeded)."""
    if label is not None and label.note is not None:
        job = f"job {label.job}" if label.job is not None else "no job"
        click.echo(f"label of {code} not printed ({job}, {label.status}): {printable(label.note)}", err=True)
