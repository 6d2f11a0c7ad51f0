"""Opening the terminal app from the CLI (`lotkeeper` with no command, and `lotkeeper demo`)."""

from __future__ import annotations

import sys
from datetime import date

from tui.config import Config


def open_tui(config: Config, db: str, *, today: date | None = None) -> None:
    """Run the App on `db` until the maker quits; exit with its code.

    The App is imported here, not at module level, so `lotkeeper stock` never pays for Textual.
    """
    from tui.app import LotkeeperApp
    from tui.context import AppContext

    app = LotkeeperApp(AppContext.from_config(config, db, today=today))
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
