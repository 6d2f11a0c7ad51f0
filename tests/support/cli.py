"""The `lotkeeper` command run in-process, the way a script sees it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from tests.support.databases import dump
from tui.cli import main

Cli = Callable[..., tuple[int, str, str]]
"""`cli(*args)`: the exit code, stdout and stderr of `lotkeeper ARGS`."""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def refused_unchanged(db: Path, message: str, *args: str) -> None:
    """`lotkeeper --db DB ARGS` refused as every command must refuse bad input: exit 2, nothing on
    stdout, one `error:` line with `message` in it, and not a row of the store changed."""
    before = dump(str(db))
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and message in line, line
    assert dump(str(db)) == before
