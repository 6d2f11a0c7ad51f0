"""The `lotkeeper` command: the group lives in base.py, each module adds its commands."""

from tui.cli import core, reports  # noqa: F401  (each module registers its commands)
from tui.cli.base import main

__all__ = ["main"]
