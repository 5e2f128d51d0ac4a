"""Per-request locale: ?lang=, then the kehu_lang cookie, then Accept-Language.

A signed-in user's own locale (User.locale) ranks between the explicit choices
(?lang=, the cookie) and Accept-Language; `SecurityMiddleware` applies it.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from core import i18n

COOKIE = "kehu_lang"


def _supported(candidates: list[str]) -> str | None:
    """The first candidate that names one of our locales (pick_locale's rules)."""
    for candidate in candidates:
        normalized = candidate.replace("-", "_")
        if normalized in i18n.LOCALES or normalized.lower().startswith(("zh", "en")):
            return i18n.pick_locale([candidate])
    return None


def explicit_locale(scope: Scope) -> str | None:
    """The locale asked for by ?lang= or the kehu_lang cookie, if any is supported."""
    query = scope.get("query_string", b"").decode("latin-1")
    candidates = [part[5:] for part in query.split("&") if part.startswith("lang=")]
    for chunk in Headers(scope=scope).get("cookie", "").split(";"):
        name, _, value = chunk.strip().partition("=")
        if name == COOKIE:
            candidates.append(value)
    return _supported(candidates)


class LocaleMiddleware:
    """Sets the translation locale for the rest of the request."""

    def __init__(self, app: ASGIApp, *, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        chosen = explicit_locale(scope)
        if chosen is None:
            accepted = Headers(scope=scope).get("accept-language", "")
            candidates = [item.split(";")[0].strip() for item in accepted.split(",")]
            chosen = i18n.pick_locale([c for c in candidates if c], default=self.default)
        with i18n.using_locale(chosen):
            await self.app(scope, receive, send)
