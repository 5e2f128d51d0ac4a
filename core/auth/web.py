"""Signing in and out: /login, /logout, /account, /lang and /api/v1/auth/* (#3).

CSRF and same-origin checks are done by `core.web.security.SecurityMiddleware`
before any of these endpoints runs; database work runs in the thread pool.
"""

from __future__ import annotations

import sqlalchemy as sa
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from core import i18n, security_log
from core.api.ratelimit import limiter_for
from core.auth import throttle
from core.auth.models import ApiToken
from core.auth.passwords import MIN_LENGTH, hash_password, password_problem, verify_password
from core.auth.sessions import COOKIE as SESSION_COOKIE
from core.auth.sessions import NewSession, end_session, start_session, unsign
from core.auth.tokens import issue_token, revoke_token, user_tokens
from core.context import Actor, system_context
from core.i18n import _, _l
from core.kernel import Kernel
from core.models import User
from core.orm import utcnow
from core.web.locale import COOKIE as LANG_COOKIE
from core.web.pages import render
from core.web.security import client_address, cookie_header, is_https, json_error, request_actor, safe_next

# One answer for an unknown login, a wrong password and a lock: no enumeration.
LOGIN_FAILED = _l("Invalid login or password, or too many attempts: try again later")
LANG_COOKIE_AGE = 365 * 24 * 3600


# ----------------------------------------------------------------- checking a password


async def authenticate(request: Request, login: str, password: str, *, purpose: str = "login") -> User | None:
    """The active user whose password this is, or None (unknown, wrong, inactive, locked).

    Throttled per login name and per client address (core.auth.throttle); the
    wait before answering is `request.app.state.login_sleep` (tests replace it).
    """
    kernel: Kernel = request.app.state.kernel
    client = client_address(request)
    keys = [throttle.login_key(login), throttle.address_key(client)]
    # Attempts per client address, right or wrong ([limits.login], #22): each costs an Argon2 hash.
    limited = limiter_for(request.app.state, kernel, "login")
    if await run_in_threadpool(limited.take, keys[1]) > 0:
        _log_attempt(login, client, None, reason="rate_limited", purpose=purpose)
        return None
    delay = await run_in_threadpool(_delay, kernel, keys[0])
    if delay:
        await request.app.state.login_sleep(delay)
    locked, user = await run_in_threadpool(_lookup, kernel, keys, login)
    # An unknown login still costs one Argon2 verification (equal timing).
    verified = await run_in_threadpool(verify_password, user.password_hash if user else None, password)
    accepted = user if verified and user is not None and user.active and not locked else None
    reason = _failure_reason(user, verified=verified, locked=locked)
    newly_locked = await run_in_threadpool(_record, kernel, keys, accepted)
    _log_attempt(login, client, accepted, reason=reason, purpose=purpose)
    for key in newly_locked:
        security_log.event("login.locked", client=client, key=key,
                           minutes=int(throttle.LOCK_FOR.total_seconds() // 60))
    return accepted


def _delay(kernel: Kernel, key: str) -> float:
    with system_context(), kernel.sessions() as db:
        return throttle.delay_for(db, key)


def _lookup(kernel: Kernel, keys: list[str], login: str) -> tuple[bool, User | None]:
    with system_context(), kernel.sessions() as db:
        locked = throttle.is_locked(db, keys)
        return locked, db.scalar(sa.select(User).where(User.login == login))


def _failure_reason(user: User | None, *, verified: bool, locked: bool) -> str | None:
    if locked:
        return "locked"
    if user is None:
        return "unknown_login"
    if not verified:
        return "wrong_password"
    return None if user.active else "inactive"


def _record(kernel: Kernel, keys: list[str], accepted: User | None) -> list[str]:
    """Count the attempt; return the keys it locked.

    The first failures of one key in two workers at once may both insert its
    row: the loser retries once and then finds the row.
    """
    for attempt in range(2):
        try:
            with system_context(), kernel.sessions.begin() as db:
                if accepted is None:
                    return throttle.record_failure(db, keys)
                throttle.record_success(db, keys[0])
                db.execute(sa.update(User).where(User.id == accepted.id).values(last_login=utcnow()))
                return []
        except IntegrityError:
            if attempt:
                raise
    return []


def _log_attempt(login: str, client: str, user: User | None, *, reason: str | None, purpose: str) -> None:
    if user is None:
        security_log.event("login.failure", client=client, login=login[:150], reason=reason,
                           purpose=purpose)
    else:
        security_log.event("login.success", actor=_log_actor(user), client=client, purpose=purpose)


def _log_actor(user: User) -> Actor:
    return Actor(user_id=user.id, division_id=user.division_id, login=user.login, name=user.name)


# ----------------------------------------------------------------- sessions and cookies


def _session_cookie(request: Request, started: NewSession) -> str:
    signed = request.app.state.auth_keys.session.sign(started.token).decode()
    return cookie_header(SESSION_COOKIE, signed, secure=is_https(request.scope))


def _browser_token(request: Request) -> str | None:
    """The raw session token of this browser's cookie, if genuine."""
    return unsign(request.cookies.get(SESSION_COOKIE), request.app.state.auth_keys.session)


def _start(kernel: Kernel, user_id: int, request: Request, *, new_password: str | None = None) -> NewSession:
    """Start a session (after setting a new password, which ends all the others)."""
    with system_context(), kernel.sessions.begin() as db:
        user = db.get(User, user_id)
        assert user is not None
        if new_password is not None:
            user.password_hash = hash_password(new_password)
            db.flush()  # the before_flush listener deletes every session of the user
        return start_session(
            db, user, client_ip=client_address(request),
            user_agent=request.headers.get("user-agent"), replacing=_browser_token(request),
        )


def _switch_session(request: Request, started: NewSession) -> str:
    """Let the rest of this request use the new session; return its Set-Cookie value."""
    request.state.csrf_token = started.row.csrf_token
    request.state.session_id = started.row.id
    return _session_cookie(request, started)


# ----------------------------------------------------------------- pages


def _login_form(request: Request, *, next_path: str, failed: bool = False) -> Response:
    error = str(LOGIN_FAILED) if failed else None
    return render(request, "login.html", status_code=401 if failed else 200,
                  error=error, next_path=next_path)


async def login(request: Request) -> Response:
    """GET: the sign-in form. POST: check the password and start a session."""
    if request.method == "GET":
        return _login_form(request, next_path=safe_next(request.query_params.get("next")))
    form = await request.form()
    name, password = _text(form, "login").strip(), _text(form, "password")
    next_path = safe_next(form.get("next"))
    user = await authenticate(request, name, password) if name and password else None
    if user is None:
        return _login_form(request, next_path=next_path, failed=True)
    started = await run_in_threadpool(_start, request.app.state.kernel, user.id, request)
    response = RedirectResponse(next_path, status_code=303)
    response.headers.append("set-cookie", _session_cookie(request, started))
    return response


async def logout(request: Request) -> Response:
    """End this browser's session; copies of its cookie stop working."""
    token = _browser_token(request)
    if token is not None:
        await run_in_threadpool(_end, request.app.state.kernel, token)
    security_log.event("logout", client=client_address(request))
    response = RedirectResponse("/login", status_code=303)
    response.headers.append(
        "set-cookie", cookie_header(SESSION_COOKIE, "", secure=is_https(request.scope), max_age=0)
    )
    return response


def _end(kernel: Kernel, token: str) -> None:
    with system_context(), kernel.sessions.begin() as db:
        end_session(db, token)


async def account(request: Request) -> Response:
    """The signed-in user's page: change the password, manage API tokens."""
    if request.method == "GET":
        return await _account_page(request)
    form = await request.form()
    action = form.get("action")
    if action == "password":
        return await _change_password(request, form)
    if action == "revoke":
        return await _revoke_from_page(request, form)
    if action == "token":
        return await _create_from_page(request, form)
    return await _account_page(request, status=400, message=_("Unknown action"))


async def _account_page(
    request: Request, *, status: int = 200, errors: dict[str, str] | None = None,
    message: str | None = None, new_token: str | None = None,
) -> Response:
    user_id = request_actor(request).user_id
    assert user_id is not None
    tokens = await run_in_threadpool(_tokens, request.app.state.kernel, user_id)
    return render(request, "account.html", status_code=status, tokens=tokens,
                  errors=errors or {}, message=message, new_token=new_token,
                  min_length=MIN_LENGTH)


def _tokens(kernel: Kernel, user_id: int) -> list[ApiToken]:
    with system_context(), kernel.sessions() as db:
        return user_tokens(db, user_id)


def _password_errors(new: str, confirm: str) -> dict[str, str]:
    if len(new) < MIN_LENGTH:
        return {"new_password": _("New password: use at least {count} characters").format(count=MIN_LENGTH)}
    problem = password_problem(new)
    if problem is not None:
        return {"new_password": problem}
    if new != confirm:
        return {"confirm_password": _("Confirm new password: it differs from the new password")}
    return {}


async def _change_password(request: Request, form: FormData) -> Response:
    old, new = _text(form, "old_password"), _text(form, "new_password")
    errors = _password_errors(new, _text(form, "confirm_password"))
    actor = request_actor(request)
    if not errors and await authenticate(request, actor.login, old, purpose="password_change") is None:
        errors = {"old_password": _("Current password: wrong, or too many attempts; try again later")}
    if errors:
        return await _account_page(request, status=400, errors=errors)
    assert actor.user_id is not None
    started = await run_in_threadpool(_start, request.app.state.kernel, actor.user_id, request,
                                      new_password=new)
    security_log.event("password.changed", client=client_address(request))
    cookie = _switch_session(request, started)
    response = await _account_page(
        request, message=_("Password changed. Every other session has been signed out.")
    )
    response.headers.append("set-cookie", cookie)
    return response


async def _revoke_from_page(request: Request, form: FormData) -> Response:
    user_id = request_actor(request).user_id
    raw = _text(form, "token_id")
    done = raw.isdigit() and await run_in_threadpool(_revoke, request.app.state.kernel, user_id, int(raw))
    if not done:
        return await _account_page(request, status=404, message=_("No such API token"))
    return await _account_page(request, message=_("API token revoked."))


async def _create_from_page(request: Request, form: FormData) -> Response:
    name = _text(form, "token_name").strip()
    if not name:
        return await _account_page(request, status=400, errors={"token_name": _("Token name: required")})
    user_id = request_actor(request).user_id
    assert user_id is not None
    token, _row = await run_in_threadpool(_issue, request.app.state.kernel, user_id, name)
    return await _account_page(request, new_token=token,
                               message=_("Copy this token now: it will not be shown again."))


async def set_language(request: Request) -> Response:
    """Remember the chosen language in the kehu_lang cookie and go back."""
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    code = request.path_params["code"]
    if code in i18n.LOCALES:
        response.headers.append("set-cookie", cookie_header(
            LANG_COOKIE, code, secure=is_https(request.scope), max_age=LANG_COOKIE_AGE))
    return response


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


# ----------------------------------------------------------------- the API


class TokenRequest(BaseModel):
    """The body of POST /api/v1/auth/token."""

    login: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    name: str = Field(default="API", min_length=1, max_length=128)


async def api_create_token(request: Request) -> Response:
    """Exchange a login and password for a bearer token (shown once)."""
    try:
        body = TokenRequest.model_validate_json(await request.body())
    except ValidationError as error:
        fields = {".".join(map(str, e["loc"])) or "body": e["msg"] for e in error.errors()}
        return json_error(400, "invalid", _("The request body is not valid"), fields)
    user = await authenticate(request, body.login, body.password, purpose="api_token")
    if user is None:
        return json_error(401, "invalid_credentials", str(LOGIN_FAILED))
    token, row = await run_in_threadpool(_issue, request.app.state.kernel, user.id, body.name)
    expires = row.expires.isoformat() + "Z" if row.expires else None
    return JSONResponse({"token": token, "id": row.id, "expires": expires}, status_code=201)


def _issue(kernel: Kernel, user_id: int, name: str) -> tuple[str, ApiToken]:
    with system_context(), kernel.sessions.begin() as db:
        user = db.get(User, user_id)
        assert user is not None
        issued = issue_token(db, user, name=name)
        security_log.event("token.created", actor=_log_actor(user), token_id=issued.row.id)
        return issued.token, issued.row


async def api_revoke_token(request: Request) -> Response:
    """Revoke one of the caller's own tokens (404 for anybody else's)."""
    user_id = request_actor(request).user_id
    if not await run_in_threadpool(_revoke, request.app.state.kernel, user_id,
                                   request.path_params["token_id"]):
        return json_error(404, "not_found", _("No such API token"))
    return Response(status_code=204)


def _revoke(kernel: Kernel, user_id: int | None, token_id: int) -> bool:
    if user_id is None:
        return False
    with system_context(), kernel.sessions.begin() as db:
        done = revoke_token(db, user_id, token_id)
    if done:
        security_log.event("token.revoked", token_id=token_id)
    return done


async def api_me(request: Request) -> Response:
    """Who the caller is: id, login, name, roles, division."""
    actor = request_actor(request)
    return JSONResponse({
        "id": actor.user_id, "login": actor.login, "name": actor.name,
        "roles": sorted(actor.roles), "division_id": actor.division_id,
    })


def routes() -> list[BaseRoute]:
    """The routes of this module, for `core.web.app.create_app`."""
    return [
        Route("/login", login, methods=["GET", "POST"], name="login"),
        Route("/logout", logout, methods=["POST"], name="logout"),
        Route("/account", account, methods=["GET", "POST"], name="account"),
        Route("/lang/{code}", set_language, name="set_language"),
        Route("/api/v1/auth/token", api_create_token, methods=["POST"], name="api_create_token"),
        Route("/api/v1/auth/tokens/{token_id:int}", api_revoke_token, methods=["DELETE"],
              name="api_revoke_token"),
        Route("/api/v1/auth/me", api_me, name="api_me"),
    ]
