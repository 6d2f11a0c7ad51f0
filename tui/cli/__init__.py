"""The `lotkeeper` command: the group lives in base.py; each command's module is imported
when that command runs (tui/cli/lazy.py)."""

from tui.cli.base import main

__all__ = ["main"]
