"""`lotkeeper report NAME`: the office side, one subcommand per report.

The group is here and nothing else: each family of reports (the recall pack, the money reports)
lives in a module of its own and is added below, so they grow side by side without touching each
other.
"""

from __future__ import annotations

from tui.cli import report_money, report_recall
from tui.cli.base import main


@main.group("report")
def report_group() -> None:
    """Reports: recall pack, batch records, cost of goods sold, stock value, expiring, reorder,
    sales, waste.

    Each takes --json (one document); the tables take --out FILE.csv (a spreadsheet).
    """


report_group.add_command(report_recall.recall_cmd)
report_group.add_command(report_money.batch_cmd)
report_group.add_command(report_money.cogs_cmd)
report_group.add_command(report_money.valuation_cmd)
report_group.add_command(report_money.expiring_cmd)
report_group.add_command(report_money.sales_cmd)
report_group.add_command(report_money.reorder_cmd)
report_group.add_command(report_money.waste_cmd)
