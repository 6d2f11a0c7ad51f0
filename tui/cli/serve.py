"""`lotkeeper serve`: the terminal app in a web browser (textual-serve), for a tablet at the bench.

Each browser tab runs its own `lotkeeper` process on the same store. Nobody gets in without the
secret: a random token in the address printed at start, or the password from `--password-file`
(or `LOTKEEPER_SERVE_PASSWORD`); and only the page Lotkeeper served may drive the app
(`serve_guard`). The server listens on 127.0.0.1 (this computer only) unless `--host` says
otherwise, and another address needs a secret that is not empty.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
from pathlib import Path

import click

from tui.cli.base import CliContext, fail, main, pass_cli

PASSWORD_ENV = "LOTKEEPER_SERVE_PASSWORD"


def app_command(cli: CliContext) -> str:
    """The shell command each browser session runs: this Python, this store, this config."""
    argv = [sys.executable, "-m", "tui.cli", "--db", cli.db]
    if cli.config.path is not None:
        argv += ["--config", str(cli.config.path)]
    return shlex.join(argv)


def chosen_password(password_file: Path | None) -> str | None:
    """The maker's password (first line of the file, else the environment), or None for a token."""
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read the password file {password_file}: {exc}")
        return lines[0].strip() if lines else ""
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV].strip()
    return None


@main.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option("--public-url", help="Address browsers use, when it differs (a proxy, or --host 0.0.0.0).")
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"A file whose first line is the password (env {PASSWORD_ENV}); default: a new token each start.",
)
@pass_cli
def serve_cmd(
    cli: CliContext, host: str, port: int, public_url: str | None, password_file: Path | None
) -> None:
    """Open Lotkeeper in a web browser (http://HOST:PORT), for whoever has the password or token."""
    try:
        from tui.cli.serve_guard import LOOPBACK, GuardedServer, new_token
    except ImportError:
        fail(
            "lotkeeper serve needs the 'serve' extra, which the base install leaves out: "
            "add it with: python3 run.py install serve (in the Lotkeeper folder), "
            "or: pip install 'lotkeeper[serve]'"
        )
    password = chosen_password(password_file)
    if password == "" and host not in LOOPBACK:
        fail(
            f"--host {host} needs a password, and the one given is empty: anyone on the network could get in"
        )
    if public_url is None and host in ("0.0.0.0", "::"):
        fail(
            f"with --host {host} also give --public-url: the address the tablet opens, e.g. "
            f"http://192.168.1.20:{port} (this computer's address on your network)"
        )
    secret = password or new_token()
    server = GuardedServer(
        app_command(cli), secret=secret, host=host, port=port, title="Lotkeeper", public_url=public_url
    )
    if password:
        click.echo(f"serving Lotkeeper at {server.public_url} (open it and give the password; Ctrl+C stops)")
    else:
        click.echo(f"serving Lotkeeper at {server.public_url}/?token={secret}")
        click.echo("  (open that address: the token is the password for this run; Ctrl+C stops)")
    sys.stdout.flush()
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # its lines would show the secret
    server.serve()
