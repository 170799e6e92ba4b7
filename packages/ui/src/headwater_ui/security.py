"""Who may use the UI: the auth token, protection against cross-site requests, and the
hosts a loopback server answers to.

- With an auth token, every request carries it: ``Authorization: Bearer TOKEN``, or the
  cookie the server sets when a page is first opened with ``?token=TOKEN``.
- Every request that changes something (any method but GET/HEAD) carries the page's CSRF
  token in the ``X-Headwater-CSRF`` header, which a form or image on another site cannot
  set, and an ``Origin`` (when the browser sends one) of this very server.
- Without a token (loopback), only requests naming a loopback host are answered, so that a
  web page cannot reach the UI through a DNS name rebound to 127.0.0.1.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "headwater_ui_token"
CSRF_HEADER = "x-headwater-csrf"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class SecurityMiddleware:
    """Checks each HTTP request as the module docstring says before the app sees it.

    Args:
        app: The app to protect.
        context: The UI context (its ``auth_token`` and ``csrf_token``).
        loopback_only: Answer only requests whose Host is a loopback name.
    """

    def __init__(self, app: ASGIApp, context: Any, loopback_only: bool) -> None:
        self.app = app
        self.context = context
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.loopback_only and _hostname(host) not in LOOPBACK_HOSTS:
            await _plain(send, 403, f"This Headwater UI answers on loopback only, not as "
                                    f"{host!r}. Open it at http://127.0.0.1:<port>/.")
            return
        token = self.context.auth_token
        if token is not None:
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            if _same(query.get("token"), token) and scope["method"] == "GET":
                await _set_cookie_and_redirect(send, scope, query, token)
                return
            if not self._authenticated(headers, token):
                await _plain(send, 401, "This Headwater UI needs its auth token: open it with "
                                        "?token=TOKEN once, or send Authorization: Bearer "
                                        "TOKEN.")
                return
        if scope["method"] not in SAFE_METHODS:
            if not _same(headers.get(CSRF_HEADER), self.context.csrf_token):
                await _plain(send, 403, "Missing or wrong X-Headwater-CSRF header: changes are "
                                        "made from the UI's pages, which send it (read it from "
                                        "the csrf-token meta tag of any page).")
                return
            origin = headers.get("origin")
            if origin and origin != "null" and urlsplit(origin).netloc != host:
                await _plain(send, 403, f"Request from another origin ({origin}) refused.")
                return
        await self.app(scope, receive, send)

    def _authenticated(self, headers: dict[str, str], token: str) -> bool:
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("bearer ") and _same(authorization[7:].strip(),
                                                                 token):
            return True
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is no credential
            return False
        morsel = cookie.get(TOKEN_COOKIE)
        return morsel is not None and _same(morsel.value, token)


def _hostname(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _plain(send: Send, status: int, message: str) -> None:
    body = message.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _set_cookie_and_redirect(send: Send, scope: Scope, query: dict[str, str],
                                   token: str) -> None:
    # The token leaves the address bar (and the history) at once; the cookie carries it.
    rest = urlencode({k: v for k, v in query.items() if k != "token"})
    location = scope.get("path", "/") + (f"?{rest}" if rest else "")
    cookie = f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()),
                            (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
