"""The `lotkeeper` command run in-process, the way a script sees it."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import CliRunner

from tui.cli import main

Cli = Callable[..., tuple[int, str, str]]
"""`cli(*args)`: the exit code, stdout and stderr of `lotkeeper ARGS`."""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr
