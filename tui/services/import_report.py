"""An import's report as lines a person reads: the CLI prints them, the TUI's preview shows them.

Names, SKUs and reasons come from the imported file: the lines are made printable here, and a
screen still shows them literally (never as markup).
"""

from __future__ import annotations

from collections import defaultdict

from tui.codes.scan import printable
from tui.imports import Problem
from tui.services.order_import import OrderImport, UnmatchedLine
from tui.services.starting_import import StartingImport

SHOWN = 20
"""Rows listed per section (all of them are in the CLI's --json)."""


def _section(title: str, problems: tuple[Problem, ...], more: str) -> list[str]:
    if not problems:
        return []
    lines = [f"{title} ({len(problems)}):"]
    lines += [f"  {p}" for p in problems[:SHOWN]]
    if len(problems) > SHOWN:
        lines.append(f"  ... and {len(problems) - SHOWN} more{more}")
    return lines


def _unmatched(lines: tuple[UnmatchedLine, ...]) -> list[str]:
    if not lines:
        return []
    by_sku: dict[str, list[UnmatchedLine]] = defaultdict(list)
    for line in lines:
        by_sku[line.sku].append(line)
    out = [f"SKUs no product has yet ({len(by_sku)}; kept, packable once the product exists):"]
    for sku, found in list(by_sku.items())[:SHOWN]:
        rows = ", ".join(str(u.row) for u in found[:5]) + (", ..." if len(found) > 5 else "")
        out.append(
            f"  {sku}  {found[0].name}  ({len(found)} line{'s' if len(found) != 1 else ''}: row {rows})"
        )
    return out


def orders_text(report: OrderImport, more: str = " (--json lists them all)") -> str:
    out = [
        f"{report.format.value}: {report.orders_added} orders added, {report.orders_updated} updated, "
        f"{report.orders_unchanged} unchanged; {report.lines_added} lines added; "
        f"{report.customers_added} customers added"
        + (f", {report.customers_updated} completed" if report.customers_updated else "")
    ]
    if report.refunds_added or report.refunds_waiting:
        out.append(f"refunds: {report.refunds_added} added, {report.refunds_waiting} waiting for their sale")
    out += _unmatched(report.unmatched)
    duplicates = tuple(Problem(d.row, d.reason) for d in report.possible_duplicates)
    out += _section("possible duplicate customers", duplicates, more)
    out += _section("left out (bad rows)", report.problems, more)
    out += _section("notes", report.warnings, more)
    if report.dry_run:
        out.append("dry run: nothing was written")
    return "\n".join(printable(line) for line in out)


def starting_text(report: StartingImport, more: str = " (--json lists them all)") -> str:
    out = [f"{report.kind.value}: {len(report.added)} added, {report.unchanged} unchanged"]
    if report.updated:
        out[0] += f", {report.updated} completed"
    if report.suppliers_added:
        out.append(f"suppliers added: {', '.join(report.suppliers_added)}")
    if report.locations_added:
        out.append(f"locations added: {', '.join(report.locations_added)}")
    out += _section("left out (bad rows)", report.problems, more)
    out += _section("notes", report.warnings, more)
    if report.dry_run:
        out.append("dry run: nothing was written")
    return "\n".join(printable(line) for line in out)
