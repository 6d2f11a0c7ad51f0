"""What every CLI command shares: the `lotkeeper` group, opening the store, errors and JSON.

Conventions other programs script against: `--json` prints exactly one JSON document on stdout;
quantities and money are strings; an error is one line on stderr starting `error:` and exit code
2, and nothing is written (services run each change in one transaction).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import partial
from typing import Any, NoReturn, TypeVar

import click

from tui.config import Config, default_db_path, load_config
from tui.errors import LotkeeperError
from tui.store.db import Store, open_store
from tui.store.failures import translate
from tui.store.targets import shown

T = TypeVar("T")


@dataclass(frozen=True)
class CliContext:
    config: Config
    db: str

    def store(self, *, create: bool = False) -> Any:
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
    cli: CliContext, work: Callable[[Store], Awaitable[T]], *, create: bool = False, announce: bool = True
) -> T:
    """Open the store, run `work` inside it, and turn our errors into `error:` + exit 2.

    Only commands that add something pass `create`: a command that reads never makes a store
    where it found none (a typo in --db would otherwise answer "no stock" from a new, empty one).
    A store made away from the default path is announced (unless the command names it anyway),
    once, when it is made.
    """

    async def go() -> T:
        async with cli.store(create=create) as store:
            if store.created and announce and cli.db != str(default_db_path()):
                click.echo(f"note: made a new store at {shown(cli.db)}", err=True)
            return await work(store)

    try:
        return asyncio.run(go())
    except LotkeeperError as exc:
        fail(exc.message)
    except Exception as exc:
        failure = translate(exc, cli.db)
        if failure is None:
            raise
        fail(failure.message)


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
    click.echo(json.dumps(document, default=_default, ensure_ascii=False, indent=2))


pass_cli = click.make_pass_decorator(CliContext)


class LotkeeperGroup(click.Group):
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
@click.version_option(package_name="lotkeeper")
@click.pass_context
def main(ctx: click.Context, db: str | None, config_path: str | None) -> None:
    """Lotkeeper: know where every lot went. With no command, opens the terminal app."""
    try:
        config = load_config(config_path)
    except LotkeeperError as exc:
        fail(exc.message)
    ctx.obj = CliContext(config=config, db=db or config.db_target())
    if ctx.invoked_subcommand is None:
        from tui.cli.tui_cmd import open_tui

        open_tui(config, ctx.obj.db)
