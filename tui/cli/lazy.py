"""Commands imported when they run: `lotkeeper stock` never loads labels, Pillow or Textual.

Every command lives in a module of `tui.cli`; this table says which, so that the group can list
and find commands without importing them. `lotkeeper --help` imports them all (to show each
one's help line); a command imports only its own module. `tests/cli/test_startup.py` checks
that the table names every command and that the quick commands stay light.
"""

from __future__ import annotations

import importlib

import click

COMMANDS: dict[str, str] = {
    "adjust": "tui.cli.corrections:adjust",
    "backup": "tui.cli.backup_cmd:backup_cmd",
    "check": "tui.cli.reports:check_cmd",
    "clock": "tui.cli.printing:clock_group",
    "complaint": "tui.cli.complaints_cmd:complaint_group",
    "count": "tui.cli.corrections:count",
    "customer": "tui.cli.core:customer",
    "demo": "tui.cli.reports:demo_cmd",
    "gtin": "tui.cli.codes_cmd:gtin_group",
    "export": "tui.cli.backup_cmd:export_cmd",
    "history": "tui.cli.stockroom:history_cmd",
    "import": "tui.cli.imports_cmd:import_group",
    "label": "tui.cli.printing:label_cmd",
    "listen": "tui.cli.listen:listen_cmd",
    "location": "tui.cli.stockroom:location_group",
    "make": "tui.cli.core:make",
    "material": "tui.cli.profiles_cmd:material",  # core's group, `edit` from stockroom, `clp` here
    "move": "tui.cli.stockroom:move_cmd",
    "orders": "tui.cli.orders_cmd:orders_cmd",
    "pack": "tui.cli.orders_cmd:pack_cmd",
    "printers": "tui.cli.printing:printers_cmd",
    "product": "tui.cli.profiles_cmd:product",  # core's group, with `edit` added by profiles_cmd
    "purge": "tui.cli.profiles_cmd:purge_cmd",
    "queue": "tui.cli.printing:queue_group",
    "receive": "tui.cli.core:receive",
    "report": "tui.cli.report_cmd:report_group",
    "restore": "tui.cli.backup_cmd:restore_cmd",
    "scan": "tui.cli.codes_cmd:scan_cmd",
    "sell": "tui.cli.core:sell",
    "serve": "tui.cli.serve:serve_cmd",
    "stock": "tui.cli.stock_cmd:stock",
    "stocktake": "tui.cli.stockroom:stocktake_cmd",
    "supplier": "tui.cli.core:supplier",
    "trace": "tui.cli.reports:trace_cmd",
    "waste": "tui.cli.corrections:waste",
    "weigh": "tui.cli.weigh:weigh_cmd",
}
"""Command name -> `module:attribute` of its click command."""


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        # Imported even when registered already: a group (`product`) made in one module gets
        # subcommands (`edit`) from the module the table names, which may not be imported yet.
        module, _, attribute = COMMANDS[cmd_name].partition(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        if cmd_name not in self.commands:  # (`@main.command` ones registered themselves)
            self.add_command(command, cmd_name)
        return command
