"""Per-request locale: ?lang=, then the kehu_lang cookie, then Accept-Language."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from core import i18n


class LocaleMiddleware:
    """Sets the translation locale for the rest of the request."""

    def __init__(self, app: ASGIApp, *, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        candidates: list[str] = []
        query = scope.get("query_string", b"").decode("latin-1")
        for part in query.split("&"):
            if part.startswith("lang="):
                candidates.append(part[5:])
        cookie = headers.get("cookie", "")
        for chunk in cookie.split(";"):
            name, _, value = chunk.strip().partition("=")
            if name == "kehu_lang":
                candidates.append(value)
        for item in headers.get("accept-language", "").split(","):
            candidates.append(item.split(";")[0].strip())
        chosen = i18n.pick_locale([c for c in candidates if c]) if candidates else self.default
        with i18n.using_locale(chosen):
            await self.app(scope, receive, send)
