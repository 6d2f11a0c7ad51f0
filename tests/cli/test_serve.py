"""`lotkeeper serve` lets in only whoever has the secret, and only from its own page.

Before, any page open on the same computer could connect to the websocket (no login, any
`Origin`), and with `--host 0.0.0.0` anyone on the network could. A real server is started on a
free loopback port and spoken to as a browser would.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.cli.serve_guard import COOKIE, origin_of

START_WITHIN_S = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    base: str
    address: str
    """What `serve` printed for the maker to open."""


async def _serve(tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> AsyncIterator[Served]:
    port = free_port()
    db = tmp_path / "lots.db"
    server = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(db), "serve", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("serving Lotkeeper at "), first
        address = first.split(" at ", 1)[1].split()[0]
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_WITHIN_S
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    async with session.get(base + "/static/js/textual.js"):
                        break
                except aiohttp.ClientConnectionError:
                    assert time.monotonic() < deadline, "serve did not start"
                    await asyncio.sleep(0.05)
        yield Served(base=base, address=address)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    async for running in _serve(tmp_path):
        yield running


def browser() -> aiohttp.ClientSession:
    """A session that keeps cookies for an IP address, as browsers do."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def _sign_in(session: aiohttp.ClientSession, address: str) -> None:
    async with session.get(address, allow_redirects=False) as answer:
        assert answer.status == 303 and answer.headers["Location"] == "/"
        cookie = answer.cookies[COOKIE]
        assert cookie["httponly"] and cookie["samesite"] == "Strict"


async def test_the_page_needs_the_token(served: Served) -> None:
    assert served.address.startswith(served.base + "/?token=")
    async with browser() as session:
        async with session.get(served.base + "/") as page:
            assert page.status == 401
            assert "ws://" not in await page.text()
        async with session.get(served.base + "/?token=guess", allow_redirects=False) as page:
            assert page.status == 401
        await _sign_in(session, served.address)
        async with session.get(served.base + "/") as page:
            assert page.status == 200
            assert f"ws://127.0.0.1:{served.base.rsplit(':', 1)[1]}/ws" in await page.text()
    with socket.socket() as probe:  # bound to loopback only: no other address answers
        probe.settimeout(1)
        other = socket.gethostbyname(socket.gethostname())
        if not other.startswith("127."):
            assert probe.connect_ex((other, int(served.base.rsplit(":", 1)[1]))) != 0


async def test_the_websocket_needs_the_session_and_our_own_origin(served: Served) -> None:
    ws_url = served.base + "/ws?width=80&height=24"
    async with aiohttp.ClientSession() as stranger:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await stranger.ws_connect(ws_url, origin=origin_of(served.base))
        assert refused.value.status == 403
    async with browser() as session:
        await _sign_in(session, served.address)
        for other in ("http://evil.example", "http://localhost:1234", "null"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(ws_url, origin=other)
            assert refused.value.status == 403
        async with session.ws_connect(ws_url, origin=origin_of(served.base)) as ws:
            message = await ws.receive(timeout=30)  # the app's first screen bytes
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)


async def test_a_chosen_password_works_the_same_way(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("lavender and lye\n")
    async for running in _serve(tmp_path, "--password-file", str(secret)):
        assert running.address == running.base
        async with browser() as session:
            async with session.get(running.base + "/") as page:
                assert page.status == 401 and 'type="password"' in await page.text()
            await _sign_in(session, running.base + "/?token=lavender%20and%20lye")


def test_another_host_refuses_an_empty_password(tmp_path: Path) -> None:
    empty = tmp_path / "password"
    empty.write_text("")
    result = CliRunner().invoke(
        main, ["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0", "--password-file", str(empty)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --host 0.0.0.0 needs a password, and the one given is empty")
