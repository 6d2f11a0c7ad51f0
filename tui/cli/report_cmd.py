"""`lotkeeper report NAME`: documents made from the store (the recall pack; money reports beside it).

Each report is a command of its own module, added to this group with one line, so that reports
written in parallel meet here without touching each other.
"""

from __future__ import annotations

from tui.cli.base import main


@main.group("report")
def report_group() -> None:
    """Reports: the recall pack, and more."""


from tui.cli.report_recall import recall_cmd  # noqa: E402  (the group must exist first)

report_group.add_command(recall_cmd)
