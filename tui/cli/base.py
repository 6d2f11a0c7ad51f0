"""What every CLI command shares: the `lotkeeper` group, opening the store, errors and JSON.

Conventions other programs script against: `--json` prints exactly one JSON document on stdout;
quantities and money are strings; an error is one line on stderr starting `error:` and exit code
2, and nothing is written (services run each change in one transaction).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from tui import __version__
from tui.cli.lazy import LazyGroup
from tui.errors import LotkeeperError

if TYPE_CHECKING:
    from tui.config import Config
    from tui.store.db import Store

T = TypeVar("T")


@dataclass(frozen=True)
class CliContext:
    config: Config
    db: str
    pretty: bool = False
    """Indent JSON output even when it goes to a file or a pipe."""

    def store(self, *, create: bool = False) -> Any:
        from tui.store.db import open_store  # here: `--version` and `--help` need no database

        return open_store(self.db, station=self.config.store.station, create=create)


# How people type a GS on a command line, where the real control character is awkward.
_GS_SPELLINGS = ("\\x1d", "\\x1D", "\\u001d", "\\u001D", "<GS>", "{GS}")


def unescape_gs(text: str) -> str:
    for spelling in _GS_SPELLINGS:
        text = text.replace(spelling, "\x1d")
    return text


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def run(
    cli: CliContext,
    work: Callable[[Store], Awaitable[T]],
    *,
    create: bool = False,
    announce: bool = True,
    daily: bool = True,
) -> T:
    """Open the store, run `work` inside it, and turn our errors into `error:` + exit 2.

    Only commands that add something pass `create`: a command that reads never makes a store
    where it found none (a typo in --db would otherwise answer "no stock" from a new, empty one).
    A store made away from the default path is announced (unless the command names it anyway),
    once, when it is made. With `[backup] dir` set, the first command of the day makes the daily
    backup first (`daily=False`: the backup and restore commands, which do their own).
    """
    import asyncio

    from tui.collector import tune_collector
    from tui.config import default_db_path
    from tui.store.failures import translate
    from tui.store.targets import shown

    tune_collector()  # `stock --all` or a recall makes hundreds of thousands of rows
    # The result is handed out beside the task, not as its result: when asyncio.run ends it
    # restores the Ctrl+C handler, and on Python 3.11 that formats the main task with `repr`,
    # result included (a tenth of a second for a recall's trace).
    done: list[T] = []

    async def go() -> None:
        async with cli.store(create=create) as store:
            if store.created and announce and cli.db != str(default_db_path()):
                click.echo(f"note: made a new store at {shown(cli.db)}", err=True)
            if daily and cli.config.backup.dir:
                await daily_backup(cli)
            done.append(await work(store))

    try:
        asyncio.run(go())
    except LotkeeperError as exc:
        fail(exc.message)
    except Exception as exc:
        failure = translate(exc, cli.db)
        if failure is None:
            raise
        fail(failure.message)
    return done[0]


async def daily_backup(cli: CliContext) -> None:
    """Today's automatic backup; a failure is said and the command goes on (the data is safe)."""
    from tui.services.backup import daily

    try:
        made = await daily(cli.db, cli.config.backup)
    except LotkeeperError as exc:
        click.echo(f"warning: the daily backup failed: {exc.message}", err=True)
        return
    if made is not None:
        click.echo(f"note: daily backup written to {made.path}", err=True)


def not_utf8(argv: Sequence[str]) -> str | None:
    """The first argument holding bytes that are not UTF-8, shown as bytes; None if all are text.

    Python hands such bytes over as lone surrogates (`Caf\\udce9` for Latin-1 `Caf\\xe9`), which
    no database, terminal or file can take.
    """
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return repr(arg.encode("utf-8", "surrogateescape"))[1:]
    return None


def _default(value: Any) -> Any:
    if isinstance(value, tuple):  # a NamedTuple: an array, as `json` writes it
        return list(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "to_json"):
        return value.to_json()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def emit_json(document: Any) -> None:
    """One JSON document on stdout: indented on a terminal or with `--pretty`, else compact.

    orjson, with the standard library's rules kept (tuples as arrays, `to_json()`, dates as
    ISO text, Decimals as text): `json.dumps(indent=2)` runs in pure Python, seconds for a big
    recall. A document that writes itself in pieces (`json_chunks()`, a trace) is streamed when
    compact.
    """
    import orjson

    cli = click.get_current_context(silent=True)
    settings = cli.find_object(CliContext) if cli else None
    pretty = sys.stdout.isatty() or (settings is not None and settings.pretty)
    if not pretty and hasattr(document, "json_chunks"):
        sys.stdout.flush()
        out = sys.stdout.buffer
        for chunk in document.json_chunks():
            out.write(chunk)
        out.write(b"\n")
        out.flush()
        return
    options = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS  # dates: ISO, as isoformat()
    click.echo(orjson.dumps(document, default=_default, option=options | (orjson.OPT_INDENT_2 * pretty)))


def batched(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _indented() -> bool:
    """Whether JSON is indented: on a terminal, or with `--pretty`."""
    cli = click.get_current_context(silent=True)
    settings = cli.find_object(CliContext) if cli else None
    return sys.stdout.isatty() or (settings is not None and settings.pretty)


def emit_json_list(items: Iterable[Any], batch: int = 5000) -> None:
    """A JSON array of `items`, written a batch at a time when compact (as `emit_json` writes it)."""
    if _indented():
        emit_json(list(items))
        return
    import orjson

    sys.stdout.flush()
    out, first = sys.stdout.buffer, True
    out.write(b"[")
    for chunk in batched(items, batch):
        out.write((b"" if first else b",") + orjson.dumps(chunk, default=_default)[1:-1])
        first = False
    out.write(b"]\n")
    out.flush()


async def emit_json_stream(batches: AsyncIterable[Iterable[Any]]) -> None:
    """`emit_json_list` of items that arrive in batches (rows read from the store a few thousand
    at a time): each batch is written as it comes, so the whole list is never held. Nothing is
    written before the first batch arrives, so a refusal before it leaves stdout empty."""
    if _indented():
        emit_json([item async for items in batches for item in items])
        return
    import orjson

    out, first = sys.stdout.buffer, True
    async for items in batches:
        if first:
            sys.stdout.flush()
            out.write(b"[")
        out.write((b"" if first else b",") + orjson.dumps(list(items), default=_default)[1:-1])
        first = False
    if first:
        sys.stdout.flush()
        out.write(b"[")
    out.write(b"]\n")
    out.flush()


pass_cli = click.make_pass_decorator(CliContext)


class LotkeeperGroup(LazyGroup):
    """Click's usage errors follow our convention too: one `error:` line, exit 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        invoke = partial(super().main, args, prog_name, complete_var, standalone_mode=False, **extra)
        if not standalone_mode:
            return invoke()
        undecodable = not_utf8(sys.argv[1:] if args is None else args)
        if undecodable is not None:
            fail(
                f"the argument {undecodable} is not UTF-8 text: set the terminal (or the script) to UTF-8 "
                "and type it again; nothing was written"
            )
        try:
            result: Any = invoke()
        except click.exceptions.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            context = f"{exc.ctx.command_path}: " if isinstance(exc, click.UsageError) and exc.ctx else ""
            fail(context + " ".join(exc.format_message().split()))
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=LotkeeperGroup, invoke_without_command=True)
@click.option("--db", "db", metavar="PATH_OR_URL", help="SQLite file or postgres:// URL (env LOTKEEPER_DB).")
@click.option("--config", "config_path", metavar="FILE", help="Config TOML (env LOTKEEPER_CONFIG).")
@click.option("--pretty", is_flag=True, help="Indent --json output even when piped.")
@click.version_option(version=__version__, prog_name="lotkeeper")
@click.pass_context
def main(ctx: click.Context, db: str | None, config_path: str | None, pretty: bool) -> None:
    """Lotkeeper: know where every lot went. With no command, opens the terminal app."""
    from tui.config import load_config

    try:
        config = load_config(config_path)
    except LotkeeperError as exc:
        fail(exc.message)
    ctx.obj = CliContext(config=config, db=db or config.db_target(), pretty=pretty)
    if ctx.invoked_subcommand is None:
        from tui.cli.tui_cmd import open_tui

        open_tui(config, ctx.obj.db)
