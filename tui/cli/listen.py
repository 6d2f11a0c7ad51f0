"""`listen`: print every scan as it arrives with what Lotkeeper makes of it.

The diagnostic a maker runs when a scanner misbehaves: it shows the exact characters (GS and
other control characters made visible) next to the resolver's reading.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from typing import Any

import click

from tui.cli.base import CliContext, pass_cli, run
from tui.cli.codes_cmd import scan_document
from tui.codes.scan import printable
from tui.config import ScannerConfig
from tui.devices.scanners import Scan, ScannerEvent, ScannerStatus, make_scan, make_scanner
from tui.errors import ConfigError
from tui.services.resolver import resolve
from tui.store.db import Store


def _pick(cli: CliContext, name: str | None) -> ScannerConfig:
    if name is None:
        return cli.config.scanners[0] if cli.config.scanners else ScannerConfig()
    for cfg in cli.config.scanners:
        if cfg.name == name:
            return cfg
    known = ", ".join(s.name for s in cli.config.scanners) or "none"
    raise ConfigError(f"no scanner named {name!r} in the config (configured: {known})")


async def _stdin_events(cfg: ScannerConfig) -> Any:
    """A keyboard-wedge scanner types into this terminal: one line per scan."""
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        scan = make_scan(line, cfg)
        if scan is not None:
            yield scan


async def _device_events(cfg: ScannerConfig) -> Any:
    source = make_scanner(cfg)
    await source.start()
    try:
        async for event in source.events():
            yield event
    finally:
        await source.stop()


async def _report(cli: CliContext, event: ScannerEvent, as_json: bool) -> None:
    if isinstance(event, ScannerStatus):
        state = "connected" if event.connected else "disconnected"
        if as_json:
            doc = {"source": event.source, "status": state, "reason": event.reason}
            click.echo(json.dumps(doc, ensure_ascii=False))
        else:
            click.echo(f"[{event.source}] {state} {event.reason}".rstrip())
        return
    assert isinstance(event, Scan)
    result = await resolve(event.text, cli.config.codes)
    raw = event.text.encode("utf-8")
    if as_json:
        doc = {"source": event.source, "text": printable(event.text), "hex": raw.hex(" ")}
        click.echo(json.dumps(doc | scan_document(result), ensure_ascii=False))
    else:
        click.echo(f"[{event.source}] {printable(event.text)}  ({raw.hex(' ')})")
        click.echo(f"    -> {result.kind}: {result.message}")


@click.command("listen")
@click.option("--device", "device", metavar="NAME", help="A [[scanners]] name (default: the first).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_cli
def listen_cmd(cli: CliContext, device: str | None, as_json: bool) -> None:
    """Print every scan as it arrives, with what it resolves to (Ctrl+C stops)."""

    async def work(_: Store) -> None:
        cfg = _pick(cli, device)
        events = _stdin_events(cfg) if cfg.kind == "wedge" else _device_events(cfg)
        if not as_json:
            click.echo(f"listening on {cfg.name} ({cfg.kind}); Ctrl+C stops", err=True)
        async for event in events:
            await _report(cli, event, as_json)

    with contextlib.suppress(KeyboardInterrupt):
        run(cli, work)
