"""Opening the terminal app from the CLI."""

from __future__ import annotations

from tui.cli.base import CliContext, fail


def open_tui(cli: CliContext) -> None:
    fail("the terminal app is not installed in this build yet: use the commands in `lotkeeper --help`")
