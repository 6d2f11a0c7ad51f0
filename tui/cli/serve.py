"""`lotkeeper serve`: the terminal app in a web browser (textual-serve), for a tablet at the bench.

Each browser tab runs its own `lotkeeper` process on the same store. There is no login, so the
server listens on 127.0.0.1 (this computer only) unless `--host` says otherwise.
"""

from __future__ import annotations

import shlex
import sys

import click

from tui.cli.base import CliContext, fail, main, pass_cli

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def app_command(cli: CliContext) -> str:
    """The shell command each browser session runs: this Python, this store, this config."""
    argv = [sys.executable, "-m", "tui.cli", "--db", cli.db]
    if cli.config.path is not None:
        argv += ["--config", str(cli.config.path)]
    return shlex.join(argv)


@main.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--public-url", help="Address browsers use, when it differs (a proxy, or --host 0.0.0.0).")
@pass_cli
def serve_cmd(cli: CliContext, host: str, port: int, public_url: str | None) -> None:
    """Open Lotkeeper in a web browser (http://HOST:PORT)."""
    try:
        from textual_serve.server import Server
    except ImportError:
        fail(
            "lotkeeper serve needs the 'serve' extra, which the base install leaves out: "
            "add it with: python3 run.py install serve (in the Lotkeeper folder), "
            "or: pip install 'lotkeeper[serve]'"
        )

    if host not in LOOPBACK:
        click.echo(
            f"warning: anyone who can reach port {port} of this computer can use Lotkeeper (there is "
            "no login); keep it on a network you trust",
            err=True,
        )
    if public_url is None and host in ("0.0.0.0", "::"):
        fail(
            f"with --host {host} also give --public-url: the address the tablet opens, e.g. "
            f"http://192.168.1.20:{port} (this computer's address on your network)"
        )
    click.echo(f"serving Lotkeeper at {public_url or f'http://{host}:{port}'} (Ctrl+C stops)")
    Server(app_command(cli), host=host, port=port, title="Lotkeeper", public_url=public_url).serve()
