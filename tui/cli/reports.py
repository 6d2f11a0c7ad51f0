"""CLI commands (being written)."""

from tui.cli.base import main  # noqa: F401
