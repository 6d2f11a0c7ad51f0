"""Labels and printers from the command line: print or save a label, printer status, the queue, the clock.

Exit codes: 0 printed (or written); 1 the job is safely queued but not printed (held for the
clock, printer offline, or needing a check): the reason is on stderr; 2 an error, nothing written.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import click

from tui.cli.base import CliContext, emit_json, fail, main, pass_cli, run
from tui.codes.scan import printable
from tui.config import MAX_COPIES
from tui.devices.printers import PrinterStatus, make_printer
from tui.devices.printers.brother import brother_model, raster_job
from tui.devices.printers.file import write_label
from tui.errors import InvalidInput, LotkeeperError
from tui.labels import SUPPORTED, TEMPLATES, LabelSize, label_size, render
from tui.services.label_data import LabelSource, describe_lot, label_request
from tui.services.label_profiles import Description
from tui.services.printing import Job, PrintService
from tui.store.db import Store
from tui.store.models import JobStatus

OUT_SUFFIXES = (".png", ".pdf", ".bin")


def _queue(cli: CliContext) -> PrintService:
    try:
        return PrintService.from_config(cli.config)
    except LotkeeperError as exc:
        fail(exc.message)


def _report(job: Job) -> None:
    """One line per job; a job that did not print makes the command exit 1."""
    what = f"job {job.id} ({job.template}{', lot ' + job.lot if job.lot else ''}, {job.copies}x)"
    if job.status == JobStatus.SENT:
        click.echo(f"printed {what} on {job.printer}")
        return
    if job.status == JobStatus.HELD:
        reason = "held until the date is confirmed: lotkeeper clock confirm YYYY-MM-DD"
    elif job.status == JobStatus.FAILED:
        reason = printable(job.last_error or "failed")
    else:
        reason = f"{printable(job.last_error or 'waiting')}; it stays queued and is retried automatically"
    click.echo(f"not printed: {what}: {reason}", err=True)
    sys.exit(1)


async def _send_now(queue: PrintService, job_id: int) -> Job:
    """Run the queue once (this job and anything else due for the printers) and say how it ended."""
    await queue.process_once()
    return await queue.job(job_id)


@main.command("label")
@click.argument("code", required=False)
@click.option("--template", "template_name", type=click.Choice(list(TEMPLATES)), help="Default: by lot kind.")
@click.option("--size", type=click.Choice(SUPPORTED), help="Label size for --out (default: the printer's).")
@click.option("--copies", type=click.IntRange(1, MAX_COPIES), default=1, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write FILE.png, .pdf or .bin.")
@click.option("--printer", "printer_name", help="Configured printer name (default: labels.printer).")
@click.option("--describe", is_flag=True, help="Say what the label would carry; print nothing.")
@click.option("--market", metavar="CODE", help="Name the responsible person of this [[maker.markets]] entry.")
@click.option("--json", "as_json", is_flag=True, help="With --describe: one JSON document.")
@pass_cli
def label_cmd(
    cli: CliContext,
    code: str | None,
    template_name: str | None,
    size: str | None,
    copies: int,
    out: Path | None,
    printer_name: str | None,
    describe: bool,
    as_json: bool,
    market: str | None,
) -> None:
    """Print the label of lot CODE, or of location CODE (--template location), or the command
    sheet (--template commands: no CODE; it lists the catalog's pick numbers too).

    With --out the label is written to a file instead: PNG, PDF (one page per copy) or .bin
    (Brother raster bytes for the configured model, e.g. for `cat FILE.bin > /dev/usb/lp0`).

    A batch of a product with a label profile prints that profile's label, and is refused
    (nothing queued, nothing written) while a field its rules ask for is missing. --describe
    lists the fields, symbols, barcodes and what is missing, for the size given or the printer's.
    """
    try:
        config = cli.config.printer(printer_name)
    except LotkeeperError as exc:
        fail(exc.message)
    if as_json and not describe:
        fail("--json goes with --describe")
    if describe:
        if not code:
            fail("give the CODE of the batch to describe the label of")
        dpi = 300 if config.kind == "brother" else config.dpi
        _describe(cli, code, template_name, label_size(size or config.label, dpi), as_json, market)
        return
    if out is not None:
        if out.suffix.lower() not in OUT_SUFFIXES:
            fail(f"--out {out.name}: use a file name ending in .png, .pdf or .bin")
        model = config.model if config.kind == "brother" else "QL-820NWB"
        dpi = 300 if config.kind == "brother" else config.dpi
        _write(cli, code, template_name, label_size(size or config.label, dpi), copies, out, model, market)
        return
    if size is not None and size != config.label:
        fail(f"--size only applies with --out: printer {config.name!r} is set up for {config.label} labels")
    queue = _queue(cli)

    async def work(store: Store) -> Job:
        name, data, lot = await label_request(code, template_name, LabelSource.of(cli.config, market))
        job = await queue.enqueue(name, data, printer=config.name, copies=copies, lot=lot)
        return await _send_now(queue, job.id) if job.status == JobStatus.QUEUED else job

    _report(run(cli, work))


def _write(
    cli: CliContext,
    code: str | None,
    template_name: str | None,
    size: LabelSize,
    copies: int,
    out: Path,
    model: str,
    market: str | None = None,
) -> None:
    async def work(store: Store) -> str:
        name, data, _ = await label_request(code, template_name, LabelSource.of(cli.config, market))
        if out.suffix.lower() == ".bin":  # Brother raster is always 300 dpi
            rendered = render(name, data, label_size(size.id))
            job = raster_job(rendered, brother_model(model), copies)
            try:
                out.write_bytes(job.data)
            except OSError as exc:
                raise InvalidInput(f"cannot write {out}: {exc.strerror}") from exc
        else:
            rendered = render(name, data, size)
            write_label(out, rendered, copies)
        return f"wrote {out} ({rendered.size.name}, template {name} v{rendered.version})"

    click.echo(run(cli, work))


def _describe(
    cli: CliContext, code: str, template_name: str | None, size: LabelSize, as_json: bool, market: str | None
) -> None:
    async def work(store: Store) -> Description:
        return await describe_lot(code, LabelSource.of(cli.config, market), size, template_name)

    found = run(cli, work)
    if as_json:
        emit_json(found.to_json())
        return
    profile = f"{found.profile} profile, " if found.profile else ""
    click.echo(f"{found.lot}: template {found.template} ({profile}{found.size})")
    for name, text in found.fields.items():
        click.echo(f"  {name}: {printable(text)}")
    if found.symbols:
        click.echo(f"  symbols: {', '.join(found.symbols)}")
    for barcode in found.barcodes:
        click.echo(f"  {barcode['kind']}: {printable(barcode['data'])}")
    for notice in found.notices:
        click.echo(f"  note: {printable(notice)}")
    for problem in found.problems:
        click.echo(f"  refused: {printable(problem)}")


@main.command("printers")
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@pass_cli
def printers_cmd(cli: CliContext, as_json: bool) -> None:
    """Configured printers and what each says about itself (asked in parallel)."""

    def ask(index: int) -> PrinterStatus:
        try:
            return make_printer(cli.config.printers[index]).status()
        except LotkeeperError as exc:
            return PrinterStatus(False, exc.message)

    with ThreadPoolExecutor(max_workers=max(1, len(cli.config.printers))) as pool:
        answers = list(pool.map(ask, range(len(cli.config.printers))))
    pairs = list(zip(cli.config.printers, answers, strict=True))
    if as_json:
        emit_json(
            [
                {
                    "name": p.name,
                    "kind": p.kind,
                    "uri": p.uri,
                    "label": p.label,
                    "ready": s.ready,
                    "message": s.message,
                }
                for p, s in pairs
            ]
        )
        return
    if not pairs:
        click.echo("no printers configured: add a [[printers]] entry to the config")
    for p, s in pairs:
        state = {True: "ready", False: "NEEDS ATTENTION", None: "no status"}[s.ready]
        where = printable(p.uri) or "(default)"
        click.echo(f"{p.name}  {p.kind}  {where}  {p.label}: {state}: {printable(s.message)}")


@main.group("queue", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@click.option("--status", type=click.Choice([s.value for s in JobStatus]), help="Only jobs in this state.")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.pass_context
def queue_group(ctx: click.Context, as_json: bool, status: str | None, limit: int) -> None:
    """The print queue, newest first; `queue retry|reprint|cancel ID` act on one job."""
    if ctx.invoked_subcommand is not None:
        return
    cli = ctx.find_object(CliContext)
    assert cli is not None

    async def work(store: Store) -> list[Job]:
        queue = PrintService([], station=cli.config.store.station)
        await queue.recover()  # a job whose sender was killed shows as failed, not sending
        return await queue.jobs(JobStatus(status) if status else None, limit)

    jobs = run(cli, work)
    if as_json:
        emit_json([j.to_json() for j in jobs])
        return
    for j in jobs:
        error = f"  {printable(j.last_error)}" if j.last_error and j.status != JobStatus.SENT else ""
        click.echo(
            f"{j.id:>5}  {j.status.value:<9}  {j.printer}  {j.template}  {j.lot or '-'}  x{j.copies}"
            f"  tries {j.attempts}{error}"
        )


def _act(cli: CliContext, act: str, job_id: int, copies: int | None = None) -> None:
    queue = _queue(cli)

    async def work(store: Store) -> Job:
        if act == "cancel":
            return await queue.cancel(job_id)
        job = await queue.retry(job_id) if act == "retry" else await queue.reprint(job_id, copies)
        return await _send_now(queue, job.id)

    job = run(cli, work)
    if act == "cancel":
        click.echo(f"cancelled job {job.id}")
    else:
        _report(job)


@queue_group.command("retry")
@click.argument("job_id", type=int)
@pass_cli
def queue_retry(cli: CliContext, job_id: int) -> None:
    """Send a waiting or failed job now (check the printer first if it failed mid-job)."""
    _act(cli, "retry", job_id)


@queue_group.command("reprint")
@click.argument("job_id", type=int)
@click.option("--copies", type=click.IntRange(1, MAX_COPIES), help="Default: as the original.")
@pass_cli
def queue_reprint(cli: CliContext, job_id: int, copies: int | None) -> None:
    """Print the very same label again as a new job."""
    _act(cli, "reprint", job_id, copies)


@queue_group.command("cancel")
@click.argument("job_id", type=int)
@pass_cli
def queue_cancel(cli: CliContext, job_id: int) -> None:
    """Drop a queued, held or failed job."""
    _act(cli, "cancel", job_id)


@main.group("clock")
def clock_group() -> None:
    """Dated labels wait while the clock is not synchronised, until today's date is confirmed."""


@clock_group.command("status")
@pass_cli
def clock_status(cli: CliContext) -> None:
    """Is the clock synchronised (or today's date confirmed), and how many labels wait for it."""
    queue = _queue(cli)

    async def work(store: Store) -> str:
        held = len(await queue.jobs(JobStatus.HELD, 10000))
        state = await queue.clock.check() if queue.clock else None
        return f"{state.message if state else 'no clock check'}; {held} label job(s) held"

    click.echo(run(cli, work))


@clock_group.command("confirm")
@click.argument("day")
@pass_cli
def clock_confirm(cli: CliContext, day: str) -> None:
    """Confirm that today is DAY (YYYY-MM-DD): held labels are released and printed."""
    try:
        confirmed = date.fromisoformat(day.strip())
    except ValueError:
        fail(f"{printable(day)!r} is not a date: type it as YYYY-MM-DD")
    queue = _queue(cli)

    async def work(store: Store) -> list[Job]:
        released = await queue.confirm_date(confirmed)
        await queue.process_once()
        ids = {j.id for j in released}
        return [j for j in await queue.jobs(limit=10000) if j.id in ids]

    jobs = run(cli, work)
    click.echo(f"date {confirmed.isoformat()} confirmed; {len(jobs)} held label job(s) released")
    failed = False
    for job in jobs:
        try:
            _report(job)
        except SystemExit:
            failed = True
    if failed:
        sys.exit(1)
