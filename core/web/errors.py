"""What a user sees when something goes wrong: a message in their language and
an error id, never a traceback, SQL or a path. The log keeps the detail."""

from __future__ import annotations

import logging
import secrets

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from core.errors import KehuError
from core.i18n import _
from core.web.pages import render

log = logging.getLogger("kehu.errors")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    ).split(",")[0]


def error_body(code: str, message: str, fields: dict[str, str] | None = None,
               **extra: str) -> dict[str, object]:
    """The JSON shape of every API error."""
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


async def kehu_error(request: Request, exc: Exception) -> Response:
    """A kernel error (access denied, not found, validation...) for page or API."""
    assert isinstance(exc, KehuError)
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry)} if retry is not None else None
    if _wants_json(request):
        return JSONResponse(error_body(exc.code, exc.message, exc.fields), status_code=exc.status,
                            headers=headers)
    from core.web.ui.common import page_context

    response = render(request, "message.html", status_code=exc.status,
                      **page_context(request, title=_("Request refused"), message=exc.message,
                                     back="/"))
    if headers:
        response.headers.update(headers)
    return response


_HTTP_MESSAGES = {
    404: ("not_found", "The page does not exist or you may not see it."),
    405: ("method_not_allowed", "This action is not possible here."),
}


async def http_error(request: Request, exc: Exception) -> Response:
    """404, 405 and friends, in the user's language."""
    assert isinstance(exc, HTTPException)
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "The request was refused."))
    text = _(message)
    if _wants_json(request):
        return JSONResponse(error_body(code, text), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))
    return render(request, "message.html", status_code=exc.status_code,
                  title=_("Request refused"), message=text, back="/")


async def server_error(request: Request, exc: Exception) -> Response:
    """Anything unexpected: log it under a new error id, show only the id."""
    error_id = secrets.token_hex(6)
    log.error("error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
    text = _("Something went wrong on our side. Error id: {id}").format(id=error_id)
    if _wants_json(request):
        return JSONResponse(error_body("internal_error", text, error_id=error_id), status_code=500)
    return render(request, "message.html", status_code=500, title=_("Internal error"),
                  message=text, back="/")


EXCEPTION_HANDLERS = {KehuError: kehu_error, HTTPException: http_error, Exception: server_error}
