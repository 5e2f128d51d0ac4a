"""Who is asking, and may they: authentication, CSRF, security headers (#3).

`SecurityMiddleware` (pure ASGI) resolves the `kehu_session` cookie or an
`Authorization: Bearer` token to an active user and runs the rest of the
request as that user (`core.context.current_actor()`) in their locale. Pages
that need a user redirect to /login, the API answers 401.

CSRF is enforced here, for every unsafe request carrying ambient credentials
(the session cookie, or the pre-session `kehu_csrf` cookie of the login form),
so no endpoint can forget it. The token comes from the `X-CSRF-Token` header
or, for HTML forms, the `csrf_token` field: the middleware then spools the
body (memory up to 1 MiB, then a temporary file), reads the field, and replays
the same bytes to the endpoint, whose `await request.form()` works as usual.
Bearer-token requests carry no ambient credential and are exempt.
"""

from __future__ import annotations

import hmac
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from itsdangerous import Signer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core import i18n, security_log
from core.auth.models import WebSession
from core.auth.sessions import COOKIE as SESSION_COOKIE
from core.auth.sessions import ensure_secret_key, resolve_session, signer, unsign
from core.auth.tokens import resolve_token
from core.context import Actor, acting_as, system_context
from core.i18n import _
from core.kernel import Kernel
from core.models import Department, Division, ProductLine, Region, Role, User
from core.org import actor_for
from core.runtime import kernel_of
from core.settings import Settings
from core.web.locale import explicit_locale
from core.web.pages import CSRF_FIELD, render

CSRF_COOKIE = "kehu_csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PUBLIC_PATHS = frozenset({"/login", "/health"})
PUBLIC_PREFIXES = ("/static/", "/lang/")
# No ambient credential: the caller proves itself with login and password.
PUBLIC_ENDPOINTS = frozenset({("POST", "/api/v1/auth/token")})
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
# The actor of a request nobody signed in to: no roles, so no rights.
ANONYMOUS = Actor(user_id=None, division_id=None)
_SPOOL_IN_MEMORY = 1 << 20
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class AuthKeys:
    """The signers of the session and pre-session CSRF cookies."""

    session: Signer
    csrf: Signer
    notice: Signer  # the one-line message a page shows after a redirect

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthKeys:
        """Keys derived from the installation's secret key (created if missing)."""
        secret = ensure_secret_key(settings)
        return cls(session=signer(secret, "session"), csrf=signer(secret, "csrf"),
                   notice=signer(secret, "notice"))


@dataclass(frozen=True)
class Identity:
    """A signed-in user as the middleware found them."""

    actor: Actor
    locale: str | None
    via: str  # "session" or "token"
    session_id: str | None = None
    csrf_token: str | None = None


# ----------------------------------------------------------------- helpers for endpoints


def request_actor(request: Request) -> Actor:
    """The actor of `request` (ANONYMOUS on a public page nobody signed in to)."""
    return getattr(request.state, "actor", ANONYMOUS)


def safe_next(value: object, default: str = "/") -> str:
    """`value` if it is a path on this site, else `default` (no open redirect)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 32 for c in value) or urlsplit(value).netloc:
        return default
    return value


def client_address(request: Request) -> str:
    """The peer address of the request ("unknown" if the server gives none)."""
    return request.client.host if request.client else "unknown"


def is_https(scope: Scope) -> bool:
    """Whether the request came over TLS (cookies are then marked Secure)."""
    return scope.get("scheme") in ("https", "wss")


def cookie_header(
    name: str, value: str, *, secure: bool, max_age: int | None = None, http_only: bool = True
) -> str:
    """A Set-Cookie value: Path=/, SameSite=Lax, HttpOnly unless told otherwise."""
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def json_error(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> JSONResponse:
    """The API's error shape: {"error": {"code", "message", "fields"}}."""
    return JSONResponse(
        {"error": {"code": code, "message": message, "fields": fields or {}}}, status_code=status
    )


# An addon's routes under /a/<addon>/public/ answer visitors who have not signed in
# (a survey link, #16). They run as the anonymous actor, who may read nothing: the
# addon checks its own key (an unguessable token) and reads as the system behind it.
ADDON_PUBLIC = re.compile(r"^/a/[a-z][a-z0-9_]*/public/")


def is_public(method: str, path: str) -> bool:
    """Whether `path` is served to visitors who have not signed in."""
    return (
        path in PUBLIC_PATHS
        or path.startswith(PUBLIC_PREFIXES)
        or (method, path) in PUBLIC_ENDPOINTS
        or ADDON_PUBLIC.match(path) is not None
    )


# ----------------------------------------------------------------- same origin, body replay


def _origin(scheme: str, netloc: str) -> str:
    scheme, netloc = scheme.lower(), netloc.lower()
    default = {"http": ":80", "https": ":443"}.get(scheme)
    if default and netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return f"{scheme}://{netloc}"


def same_origin(request: Request) -> bool:
    """False if Origin (or, absent, Referer) names another site than the request's."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    parsed = urlsplit(source)
    own = _origin(request.url.scheme, request.headers.get("host", ""))
    return bool(parsed.scheme) and _origin(parsed.scheme, parsed.netloc) == own


class SpooledBody:
    """A request body read once and replayable as often as needed."""

    def __init__(self, spool: IO[bytes], size: int, receive: Receive) -> None:
        self.spool, self.size, self._receive = spool, size, receive

    @classmethod
    async def read(cls, receive: Receive) -> SpooledBody:
        """Drain `receive` into a spooled temporary file."""
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            size += spool.write(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return cls(spool, size, receive)

    def replay(self) -> Receive:
        """A receive callable giving the same body again, then the real channel."""
        position = 0
        finished = False

        async def receive() -> Message:
            nonlocal position, finished
            if finished:
                return await self._receive()
            self.spool.seek(position)
            chunk = self.spool.read(_CHUNK)
            position += len(chunk)
            finished = position >= self.size
            return {"type": "http.request", "body": chunk, "more_body": not finished}

        return receive

    def close(self) -> None:
        """Remove the temporary file."""
        self.spool.close()


async def _form_token(scope: Scope, body: SpooledBody) -> str | None:
    """The csrf_token field of a form body, parsed from a replay of it."""
    request = Request(scope, receive=body.replay())
    try:
        form = await request.form()
    except (MultiPartException, HTTPException, ValueError):
        return None
    value = form.get(CSRF_FIELD)
    await form.close()
    return value if isinstance(value, str) else None


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("application/x-www-form-urlencoded", "multipart/form-data")


# ----------------------------------------------------------------- the middleware


class SecurityMiddleware:
    """Authenticate, enforce CSRF and same origin, add security headers."""

    def __init__(self, app: ASGIApp, *, kernel: Kernel, keys: AuthKeys) -> None:
        self.app, self.kernel, self.keys = app, kernel, keys
        self.actors = ActorCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":  # none served yet: refuse rather than skip checks
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.url.path.startswith("/static/"):  # public, and no database work per file
            await self.app(scope, receive, _with_headers(send, path=request.url.path, cookies=[]))
            return
        identity = await run_in_threadpool(self._identify, request)
        cookies = []
        if identity is None and _bearer(request) is None and SESSION_COOKIE in request.cookies:
            cookies.append(cookie_header(SESSION_COOKIE, "", secure=is_https(scope), max_age=0))
        csrf_token = identity.csrf_token if identity else self._pre_session_token(request, cookies)
        state = scope.setdefault("state", {})
        actor = identity.actor if identity else ANONYMOUS
        state.update(actor=actor, user_name=actor.name, csrf_token=csrf_token,
                     session_id=identity.session_id if identity else None,
                     auth=identity.via if identity else None)
        send = _with_headers(send, path=request.url.path, cookies=cookies)
        locale = explicit_locale(scope) or (identity.locale if identity else None)
        with acting_as(actor), i18n.using_locale(locale or i18n.current_locale()):
            await self._guarded(request, identity, receive, send)

    async def _guarded(
        self, request: Request, identity: Identity | None, receive: Receive, send: Send
    ) -> None:
        """Refuse the unauthenticated and the cross-site; else call the app."""
        scope, method, path = request.scope, request.method, request.url.path
        if identity is None and not is_public(method, path):
            await _unauthenticated(request)(scope, receive, send)
            return
        needs_csrf = method in UNSAFE_METHODS and (method, path) not in PUBLIC_ENDPOINTS
        if not needs_csrf or (identity is not None and identity.via == "token"):
            await self.app(scope, receive, send)
            return
        body: SpooledBody | None = None
        try:
            reason, body = await _csrf_problem(request, receive, request.state.csrf_token)
            if reason is not None:
                security_log.event("csrf.failure", client=client_address(request),
                                   path=path, method=method, reason=reason)
                await _forbidden(request)(scope, receive, send)
                return
            await self.app(scope, body.replay() if body else receive, send)
        finally:
            if body is not None:
                body.close()

    def _identify(self, request: Request) -> Identity | None:
        """The active user behind the bearer token, else the session cookie."""
        bearer = _bearer(request)
        token = unsign(request.cookies.get(SESSION_COOKIE), self.keys.session)
        if bearer is None and token is None:
            return None
        with system_context(), self.kernel.sessions.begin() as db:
            if bearer is not None:
                user = resolve_token(db, bearer)
                return self._identity(db, user, via="token") if user else None
            assert token is not None
            row = resolve_session(db, token)
            user = db.get(User, row.user_id) if row else None
            if row is None or user is None or not user.active:
                return None
            return self._identity(db, user, via="session", session=row)

    def _identity(self, db: Session, user: User, *, via: str,
                  session: WebSession | None = None) -> Identity:
        return Identity(
            actor=self.actors.get(db, user), locale=user.locale, via=via,
            session_id=session.id if session else None,
            csrf_token=session.csrf_token if session else None,
        )

    def _pre_session_token(self, request: Request, cookies: list[str]) -> str | None:
        """The login form's CSRF token, from the kehu_csrf cookie or newly made."""
        token = unsign(request.cookies.get(CSRF_COOKIE), self.keys.csrf)
        path = request.url.path
        if token is None and not path.startswith(("/static/", "/api/", "/health")):
            token = secrets.token_urlsafe(32)
            value = self.keys.csrf.sign(token).decode()
            cookies.append(cookie_header(CSRF_COOKIE, value, secure=is_https(request.scope)))
        return token


def _bearer(request: Request) -> str | None:
    scheme, _sep, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


_ORGANISATION = (User, Division, Department, Role, Region, ProductLine)


@sa.event.listens_for(Session, "after_flush")
def _organisation_changed(session: Session, _context: Any) -> None:
    """Cached actors of the session's kernel are rebuilt after a change to users, roles,
    divisions, departments, regions or product lines (other processes within `ActorCache.TTL`)."""
    kernel = kernel_of(session)
    if kernel is not None and any(isinstance(item, _ORGANISATION)
                                  for item in (*session.new, *session.dirty, *session.deleted)):
        kernel.org_changes += 1


class ActorCache:
    """Actors built in the last few seconds, so a request costs the session or token
    lookup and not the six queries of `actor_for`.

    The session or token and `User.active` are still read on every request: a
    sign-out, a revoked token or a deactivated user takes effect at once. Changes
    to roles, departments or regions reach running workers within `TTL` seconds,
    like addons switched on or off for a division.
    """

    TTL = 5.0

    def __init__(self) -> None:
        self._entries: dict[int, tuple[float, int, Actor]] = {}

    def get(self, db: Session, user: User) -> Actor:
        now = time.monotonic()
        kernel = kernel_of(db)
        generation = kernel.org_changes if kernel is not None else 0
        found = self._entries.get(user.id)
        if found is not None and found[0] > now and found[1] == generation:
            return found[2]
        actor = actor_for(db, user)
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[user.id] = (now + self.TTL, generation, actor)
        return actor

    def clear(self) -> None:
        """Forget every actor (tests that change a user's roles mid-way)."""
        self._entries.clear()


async def _csrf_problem(
    request: Request, receive: Receive, expected: str | None
) -> tuple[str | None, SpooledBody | None]:
    """Why the request fails the CSRF check ("origin", "token") or None; and its body."""
    if not same_origin(request):
        return "origin", None
    supplied = request.headers.get(CSRF_HEADER)
    body = None
    if supplied is None and _is_form(request):
        body = await SpooledBody.read(receive)
        supplied = await _form_token(request.scope, body)
    if not expected or not supplied or not hmac.compare_digest(supplied, expected):
        return "token", body
    return None, body


def _unauthenticated(request: Request) -> Response:
    if request.url.path.startswith("/api/"):
        return json_error(401, "unauthenticated", _("Sign in first: a valid session or API token is needed"))
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?next=" + quote(safe_next(target), safe=""), status_code=303)


def _forbidden(request: Request) -> Response:
    message = _("This form has expired or came from another site. Reload the page and try again.")
    if request.url.path.startswith("/api/"):
        return json_error(403, "csrf", message)
    return render(request, "error.html", status_code=403, message=message)


def _with_headers(send: Send, *, path: str, cookies: list[str]) -> Send:
    """`send` adding the security headers, no-store, and our cookies to the response."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                headers.setdefault(name, value)
            if not path.startswith("/static/"):
                headers.setdefault("cache-control", "no-store")
            for cookie in cookies:
                headers.append("set-cookie", cookie)
        await send(message)

    return wrapped
