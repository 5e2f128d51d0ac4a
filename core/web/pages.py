"""Jinja2 rendering with the kernel's translations and formatting."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from core import i18n

TEMPLATES = Path(__file__).parent / "templates"
CSRF_FIELD = "csrf_token"

environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(default=True, default_for_string=True),
    extensions=["jinja2.ext.i18n"],
)
environment.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=i18n.gettext,
    ngettext=lambda singular, plural, n: i18n.gettext(singular if n == 1 else plural),
    newstyle=True,
)
environment.filters["money"] = i18n.format_money
environment.filters["when"] = i18n.format_when


def chart_library_available() -> bool:
    """Whether ECharts is installed (`make setup` fetches it; a wheel from `make wheel` has it).

    Report pages say so plainly when it is missing."""
    return (Path(__file__).parent / "static" / "vendor" / "echarts.min.js").is_file()


environment.globals["chart_library_available"] = chart_library_available


def csrf_input(request: Request) -> Markup:
    """The hidden form field carrying the request's CSRF token (every POST form needs it)."""
    token = getattr(request.state, "csrf_token", None) or ""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(token))


def with_notice(request: Request, url: str, message: str | None) -> str:
    """`url` carrying `message`, signed, for the page it leads to to show once."""
    if not message:
        return url
    token = base64.urlsafe_b64encode(message[:500].encode()).decode()
    signed = request.app.state.auth_keys.notice.sign(token).decode()
    return url + ("&" if "?" in url else "?") + urlencode({"notice": signed})


# The notice after a save or an action (#19): a signed cookie the next page shows once.
NOTICE_COOKIE = "kehu_notice"


def flash(request: Request, response: Response, message: str | None) -> Response:
    """Let the next page rendered for this browser show `message` once (a signed cookie:
    the address stays clean, a reload does not repeat it)."""
    if message:
        from core.web.security import cookie_header, is_https  # security imports this module

        token = base64.urlsafe_b64encode(message[:500].encode()).decode()
        signed = request.app.state.auth_keys.notice.sign(token).decode()
        response.headers.append("set-cookie", cookie_header(
            NOTICE_COOKIE, signed, secure=is_https(request.scope), max_age=120))
    return response


def read_notice(request: Request) -> str | None:
    """The message a redirect carried (in its address or a notice cookie), if signed here."""
    signed = request.query_params.get("notice") or request.cookies.get(NOTICE_COOKIE)
    keys = getattr(request.app.state, "auth_keys", None)
    if not signed or keys is None:
        return None
    try:
        return base64.urlsafe_b64decode(keys.notice.unsign(signed)).decode()
    except (BadSignature, ValueError):
        return None


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` for `request` in the current locale.

    Every template gets `csrf_input()`, `user_name` (empty when nobody signed
    in) and `here` (path and query, to come back to after a language switch).
    """
    url = request.url.remove_query_params(["lang", "notice"])
    here = url.path + (f"?{url.query}" if url.query else "")
    html = environment.get_template(template).render(
        request=request,
        url_for=request.url_for,
        locale=i18n.current_locale(),
        csrf_input=lambda: csrf_input(request),
        user_name=getattr(request.state, "user_name", ""),
        here=here,
        notice=read_notice(request),
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if NOTICE_COOKIE in request.cookies:  # shown once
        from core.web.security import cookie_header, is_https

        response.headers.append("set-cookie", cookie_header(
            NOTICE_COOKIE, "", secure=is_https(request.scope), max_age=0))
    return response
