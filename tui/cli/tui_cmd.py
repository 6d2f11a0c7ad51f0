"""Opening the terminal app from the CLI (`lotkeeper` with no command, and `lotkeeper demo`)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from tui.config import Config, default_db_path
from tui.store.targets import is_postgres


def open_tui(config: Config, db: str, *, today: date | None = None, welcome: str | None = None) -> None:
    """Run the App on `db` until the maker quits; exit with its code. `welcome` is what Home
    says first (the demo's hint).

    The App is imported here, not at module level, so `lotkeeper stock` never pays for Textual.
    """
    from dataclasses import replace

    from tui.app import LotkeeperApp
    from tui.context import AppContext

    new_file = not is_postgres(db) and not Path(db).expanduser().exists()
    app = LotkeeperApp(replace(AppContext.from_config(config, db, today=today), welcome=welcome))
    app.run()
    if new_file and Path(db).expanduser().exists() and db != str(default_db_path()):
        click.echo(f"note: made a new store at {db}", err=True)  # after the app: its screen is gone
    if app.return_code:
        sys.exit(app.return_code)
