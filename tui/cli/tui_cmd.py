"""Opening the terminal app from the CLI (`lotkeeper` with no command, and `lotkeeper demo`)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from tui.cli.base import CliContext
from tui.config import default_db_path
from tui.store.targets import is_postgres


def open_tui(cli: CliContext, *, db: str | None = None, today: date | None = None) -> None:
    """Run the App on `db` (default: the CLI's database) until the maker quits; exit with its code.

    The App is imported here, not at module level, so `lotkeeper stock` never pays for Textual.
    """
    from tui.app import LotkeeperApp
    from tui.context import AppContext

    target = db or cli.db
    new_file = not is_postgres(target) and not Path(target).expanduser().exists()
    app = LotkeeperApp(AppContext.from_config(cli.config, target, today=today))
    app.run()
    if new_file and Path(target).expanduser().exists() and target != str(default_db_path()):
        click.echo(f"note: made a new store at {target}", err=True)  # after the app: its screen is gone
    if app.return_code:
        sys.exit(app.return_code)
