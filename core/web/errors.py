"""What a user sees when something goes wrong: a message in their language and
an error id, never a traceback, SQL or a path. The log keeps the detail.

One mapping from exception to status, code and message serves the API and the
pages (`core.api.errors.error_payload`); a page shows the same message in the
site's layout.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from core.api.errors import error_payload, error_response
from core.errors import KehuError
from core.i18n import _
from core.web.pages import render


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    ).split(",")[0]


def _page_message(exc: Exception, status: int, body: dict[str, object]) -> str:
    if status == 503:  # busy or unreachable database: the body says to try again
        return str(body["message"])
    if status >= 500:
        return _("Something went wrong on our side. Error id: {id}").format(id=body["error_id"])
    if isinstance(exc, HTTPException) and status == 404:
        return _("The page does not exist or you may not see it.")
    if isinstance(exc, HTTPException) and status == 405:
        return _("This action is not possible here.")
    return str(body["message"])


async def handle_error(request: Request, exc: Exception) -> Response:
    """Any error, for the API (JSON) or a page (HTML): kernel errors keep their status."""
    context = f"on {request.method} {request.url.path}"
    if _wants_json(request):
        return error_response(exc, context=context)
    payload = error_payload(exc, context=context)
    body = payload.body["error"]
    message = _page_message(exc, payload.status, body)
    if payload.status >= 500:  # no menu: it needs the database, which may be the problem
        title = _("Try again shortly") if payload.status == 503 else _("Internal error")
        response = render(request, "message.html", status_code=payload.status,
                          title=title, message=message, back="/")
    else:
        from core.web.ui.common import page_context

        response = render(request, "message.html", status_code=payload.status,
                          **page_context(request, title=_("Request refused"), message=message,
                                         back="/"))
    response.headers.update(payload.headers)
    return response


# KehuError and HTTPException are answered where they happen; Exception is the
# last resort (Starlette's server-error middleware, which logs and re-raises).
EXCEPTION_HANDLERS = {KehuError: handle_error, HTTPException: handle_error,
                      Exception: handle_error}
