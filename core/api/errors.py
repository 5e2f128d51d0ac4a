"""Every API error as JSON: `{"error": {"code", "message", "fields"}}` and a fitting status.

`error_payload` maps any exception to (status, body, headers); kernel errors
keep their own `code` and `status`. Anything unexpected becomes a 500 whose
body carries only "Internal error" and an error id: the traceback goes to the
log under that id, never into the answer. The HTML side may reuse
`error_payload` to tell a page what went wrong in the same terms.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse

from core.errors import Conflict, KehuError, ValidationError
from core.i18n import _

log = logging.getLogger("kehu.api")


class BadRequest(KehuError):
    """A query parameter, cursor or body that cannot be read at all."""

    code = "bad_request"
    status = 400


class PayloadTooLarge(KehuError):
    """The request body is over the API's size limit."""

    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(KehuError):
    """The request body is not JSON."""

    code = "unsupported_media_type"
    status = 415


class Unavailable(KehuError):
    """The database is busy or unreachable: nothing was written, try again shortly."""

    code = "unavailable"
    status = 503
    retry_after = 5


# SQLite reports a busy, full or missing database with these words; its other
# OperationalErrors ("no such column") are bugs and stay 500s.
_SQLITE_UNAVAILABLE = ("database is locked", "database is busy", "database table is locked",
                       "disk i/o error", "database or disk is full", "unable to open database")


def unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database is busy, full or down (a 503, not a 500) (#13)."""
    if isinstance(exc, sa.exc.TimeoutError):  # no pooled connection came free
        return True
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return False
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if type(exc.orig).__module__.startswith("sqlite3"):
        return any(words in text for words in _SQLITE_UNAVAILABLE)
    # PostgreSQL: an OperationalError is the server, its connection or its disk.
    return True


class RateLimited(KehuError):
    """Too many expensive requests: try again after `retry_after` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# Status of Starlette's own errors (unknown path, wrong method) → our code.
_HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
}


@dataclass(frozen=True)
class ErrorPayload:
    """An error as the API answers it."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def error_body(code: str, message: str, fields: dict[str, str] | None = None,
               **extra: str) -> dict[str, Any]:
    """The JSON shape of every API error."""
    return {"error": {"code": code, "message": message, "fields": dict(fields or {}), **extra}}


def _http_message(status: int) -> str:
    if status == 404:
        return _("The record does not exist or you may not see it.")
    if status == 405:
        return _("This method is not allowed on this address.")
    return _("The request was refused.")


def _known(exc: BaseException) -> ErrorPayload | None:
    """The payload of an error a user may be told about, or None."""
    if isinstance(exc, RateLimited):
        body = error_body(exc.code, exc.message, exc.fields)
        return ErrorPayload(exc.status, body, {"Retry-After": str(exc.retry_after)})
    if unavailable(exc):
        log.warning("database unavailable: %s", exc)
        body = error_body(Unavailable.code, _("The database is busy or unavailable: nothing "
                                              "was saved. Try again in a few seconds."))
        return ErrorPayload(Unavailable.status, body,
                            {"Retry-After": str(Unavailable.retry_after)})
    if isinstance(exc, KehuError):
        return ErrorPayload(exc.status, error_body(exc.code, exc.message, exc.fields))
    if isinstance(exc, StaleDataError):
        return _known(Conflict(_("Somebody else changed this record: reload it and try again.")))
    if isinstance(exc, sa.exc.DataError):
        # A value the database cannot store (out of range...): the caller's input.
        return _known(ValidationError(_("A value is out of range or not valid for the database.")))
    if isinstance(exc, sa.exc.IntegrityError):
        return _known(Conflict(_("The change conflicts with other records.")))
    if isinstance(exc, ClientDisconnect):
        return _known(BadRequest(_("The request body was not received completely.")))
    if isinstance(exc, HTTPException):
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        headers = dict(exc.headers or {})
        return ErrorPayload(exc.status_code, error_body(code, _http_message(exc.status_code)),
                            headers)
    return None


def error_payload(exc: BaseException, *, context: str = "") -> ErrorPayload:
    """(status, JSON body, headers) for `exc`; unexpected errors are logged with an id."""
    known = _known(exc)
    if known is not None:
        return known
    error_id = secrets.token_hex(6)
    log.error("API error %s %s", error_id, context, exc_info=exc)
    body = error_body("internal_error", _("Internal error"), error_id=error_id)
    return ErrorPayload(500, body)


def error_response(exc: BaseException, *, context: str = "") -> JSONResponse:
    """The JSON response of `exc` (see `error_payload`)."""
    payload = error_payload(exc, context=context)
    return JSONResponse(payload.body, status_code=payload.status, headers=payload.headers)
