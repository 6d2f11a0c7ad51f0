"""The browser door of `lotkeeper serve`: a secret to get in, and only our own page may drive the app.

Without it any web page open on the same computer could connect to the websocket and type into
Lotkeeper, and with `--host 0.0.0.0` anyone on the network could read lots and customers. So:

* the secret is a random token in the address printed at start (as notebook servers do) or a
  password the maker chose; opening `/?token=SECRET` once sets a session cookie (HttpOnly,
  SameSite=Strict) and sends the browser on to `/`, so the secret leaves the address bar;
* the page, the websocket and downloads answer only with that cookie;
* the websocket also checks `Origin`: a page from anywhere else is refused even if the browser
  would send the cookie.

textual-serve's public handlers (`handle_index`, `handle_websocket`, `handle_download`) are the
hook: each is guarded, then handed to the original.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import secrets
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

COOKIE = "lotkeeper_session"
LOOPBACK = ("127.0.0.1", "localhost", "::1")

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Lotkeeper</title>
<style>body{{font-family:sans-serif;background:#0c181f;color:#eee;display:flex;height:90vh;
align-items:center;justify-content:center}}input,button{{font-size:1.2em;padding:.3em}}</style></head>
<body><form id="f" method="get" action="/">
<p>{message}</p>
<p><input id="t" name="token" type="password" autofocus placeholder="password or token">
<button>Open Lotkeeper</button></p></form>
<script>
document.getElementById("f").onsubmit = function (e) {{
  e.preventDefault();
  location.replace("/?token=" + encodeURIComponent(document.getElementById("t").value));
}};
</script></body></html>
"""
ASK = "Open the address that <code>lotkeeper serve</code> printed, or type the password."


def new_token() -> str:
    return secrets.token_urlsafe(24)


def origin_of(url: str) -> str:
    """`scheme://host[:port]` as a browser sends it in `Origin` (default ports left out)."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{host}{port}"


class GuardedServer(Server):
    """textual-serve with a secret and an Origin check in front of every way into the app."""

    def __init__(self, command: str, *, secret: str, **options: Any) -> None:
        super().__init__(command, **options)
        self._secret = secret.encode()
        self._session = hmac.new(self._secret, b"lotkeeper browser session", hashlib.sha256).hexdigest()
        self.origin = origin_of(self.public_url)

    def signed_in(self, request: web.Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, "").encode(), self._session.encode())

    def origin_ok(self, request: web.Request) -> bool:
        return request.headers.get("Origin", "") == self.origin

    @staticmethod
    def _login(message: str, status: int) -> web.Response:
        return web.Response(status=status, text=LOGIN_PAGE.format(message=message), content_type="text/html")

    async def handle_index(self, request: web.Request) -> Any:
        given = request.query.get("token")
        if given is not None:
            if not hmac.compare_digest(given.encode(), self._secret):
                return self._login("That is not the password. " + ASK, 401)
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(COOKIE, self._session, httponly=True, samesite="Strict", path="/")
            return response
        if not self.signed_in(request):
            return self._login(ASK, 401)
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self.signed_in(request):
            raise web.HTTPForbidden(text="sign in first: open the address lotkeeper serve printed")
        if not self.origin_ok(request):
            shown = html.escape(request.headers.get("Origin", "none"))
            raise web.HTTPForbidden(text=f"refused: a page from {shown} may not drive Lotkeeper")
        return await super().handle_websocket(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if not self.signed_in(request):
            raise web.HTTPForbidden(text="sign in first")
        return await super().handle_download(request)
