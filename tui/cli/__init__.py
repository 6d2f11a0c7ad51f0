"""The `lotkeeper` command: the group lives in base.py, each module adds its commands."""

from tui.cli import (
    codes_cmd,
    core,
    imports_cmd,
    listen,
    orders_cmd,
    printing,
    reports,
    serve,
    stockroom,
    weigh,
)
from tui.cli.base import main

main.add_command(codes_cmd.scan_cmd)
main.add_command(codes_cmd.gtin_group)
main.add_command(listen.listen_cmd)

__all__ = [
    "core",
    "imports_cmd",
    "main",
    "orders_cmd",
    "printing",
    "reports",
    "serve",
    "stockroom",
    "weigh",
]
