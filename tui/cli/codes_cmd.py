"""`scan` and `gtin`: what a barcode means, and GTIN check digits and numbering."""

from __future__ import annotations

from typing import Any

import click

from tui.cli.base import CliContext, emit_json, fail, pass_cli, run, unescape_gs
from tui.codes.gtin import parse_gtin
from tui.errors import InvalidInput
from tui.services.resolver import ScanResult, next_free_gtin, resolve
from tui.store.db import Store


def scan_document(result: ScanResult) -> dict[str, Any]:
    """The `scan --json` contract (also one line of `listen --json`)."""
    return {
        "kind": result.kind,
        "code": result.code,
        "gtin": result.gtin,
        "batch": result.batch,
        "expires": result.expires.isoformat() if result.expires else None,
        "message": result.message,
        "symbology": result.symbology,
        "pack": result.pack,
    }


@click.command("scan")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@pass_cli
def scan_cmd(cli: CliContext, text: str, as_json: bool) -> None:
    """What a scanned TEXT means (GS may be typed as \\x1d or <GS>). Exit 0 even when unknown."""

    async def work(_: Store) -> ScanResult:
        return await resolve(unescape_gs(text), cli.config.codes)

    result = run(cli, work)
    if as_json:
        emit_json(scan_document(result))
    else:
        click.echo(f"{result.kind}: {result.message}")


@click.group("gtin")
def gtin_group() -> None:
    """Check GTIN/UPC/EAN check digits and number new products."""


@gtin_group.command("check")
@click.argument("code")
def gtin_check(code: str) -> None:
    """Exit 0 for a valid GTIN-8/12/13/14; exit 2 with the expected check digit otherwise."""
    try:
        gtin = parse_gtin(code)
    except InvalidInput as exc:
        fail(exc.message)
    click.echo(f"valid {gtin}; GTIN-14 {gtin.gtin14}")


@gtin_group.command("next")
@pass_cli
def gtin_next(cli: CliContext) -> None:
    """The next GTIN of your GS1 company prefix that no product has yet."""

    async def work(_: Store) -> str:
        return await next_free_gtin(cli.config.codes)

    click.echo(run(cli, work))
