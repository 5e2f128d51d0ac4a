"""The chatter of any record, and my notifications, through the REST API (#18).

Same rules as the pages: the record is read as the caller (rights and record
rules), and a hidden record is a 404. Errors are the API's JSON errors.

GET  /api/v1/<model>/<id>/chatter                 notes, activities, tracked changes
POST /api/v1/<model>/<id>/notes                   {"body"}  (@login mentions notify)
POST /api/v1/<model>/<id>/activities              {"kind", "summary", "due_date", "assignee_id"}
POST /api/v1/<model>/<id>/activities/<aid>/done   {"result"}
GET  /api/v1/notifications                        mine, newest first (?unread=1, ?before=<id>)
POST /api/v1/notifications/read-all
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from core.api.errors import BadRequest, error_response
from core.audit import add_activity, add_note, chatter, load_record, mark_done
from core.context import current_actor
from core.errors import NotFound, ValidationError
from core.i18n import _
from core.notify.web import latest, mark_read, unread_count

PREFIX = "/api/v1"


def _guarded(handler: Any) -> Any:
    async def run(request: Request) -> Response:
        try:
            return await handler(request)  # type: ignore[no-any-return]
        except Exception as exc:  # noqa: BLE001  (every error becomes JSON)
            return error_response(exc, context=f"{request.method} {request.url.path}")
    return run


def _model(request: Request) -> Any:
    model = request.app.state.kernel.model_keys.get(request.path_params["key"])
    if model is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    return model


async def _body(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        raise BadRequest(_("The body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise BadRequest(_("The body is not valid JSON."))
    return data


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        message = _("Enter a date as YYYY-MM-DD.")
        raise ValidationError(message, fields={"due_date": message}) from None


async def read_chatter(request: Request) -> Response:
    kernel, model = request.app.state.kernel, _model(request)

    def run() -> list[dict[str, Any]]:
        with kernel.session() as session:
            record = load_record(session, model, int(request.path_params["record_id"]))
            return [{"kind": item.kind, "id": item.id, "date": item.date.isoformat(),
                     "user": item.user, "text": item.text, "done": item.done}
                    for item in chatter(session, record)]

    return JSONResponse({"items": await run_in_threadpool(run)})


async def post_note(request: Request) -> Response:
    kernel, model, data = request.app.state.kernel, _model(request), await _body(request)

    def run() -> int:
        with kernel.sessions.begin() as session:
            record = load_record(session, model, int(request.path_params["record_id"]))
            return add_note(session, record, str(data.get("body") or "")).id

    return JSONResponse({"id": await run_in_threadpool(run)}, status_code=201)


async def post_activity(request: Request) -> Response:
    kernel, model, data = request.app.state.kernel, _model(request), await _body(request)
    assignee = data.get("assignee_id")
    if assignee is not None and (isinstance(assignee, bool) or not isinstance(assignee, int)):
        raise ValidationError(_("Choose an active user."), fields={"assignee_id": _("Choose an active user.")})

    def run() -> int:
        with kernel.sessions.begin() as session:
            record = load_record(session, model, int(request.path_params["record_id"]))
            return add_activity(session, record, kind=str(data.get("kind") or ""),
                                summary=str(data.get("summary") or ""),
                                due_date=_date(data.get("due_date")), assignee_id=assignee).id

    return JSONResponse({"id": await run_in_threadpool(run)}, status_code=201)


async def activity_done(request: Request) -> Response:
    kernel, data = request.app.state.kernel, await _body(request)
    _model(request)

    def run() -> None:
        with kernel.sessions.begin() as session:
            mark_done(session, int(request.path_params["activity_id"]),
                      result=str(data.get("result") or "") or None)

    await run_in_threadpool(run)
    return JSONResponse({"done": True})


async def my_notifications(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, current_actor()
    before = request.query_params.get("before")

    def run() -> dict[str, Any]:
        with kernel.session() as session:
            rows = latest(session, actor.user_id, unread_only=request.query_params.get("unread") == "1",
                          before=int(before) if before and before.isdigit() else None)
            return {"unread": unread_count(session, actor.user_id),
                    "items": [{"id": row.id, "kind": row.kind, "text": row.text, "url": row.url,
                               "read": row.read, "date": row.date.isoformat()} for row in rows]}

    return JSONResponse(await run_in_threadpool(run))


async def read_all(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, current_actor()

    def run() -> int:
        with kernel.sessions.begin() as session:
            return mark_read(session, actor.user_id)

    return JSONResponse({"marked": await run_in_threadpool(run)})


def chatter_api_routes() -> list[BaseRoute]:
    item = PREFIX + "/{key}/{record_id:int}"
    return [
        Route(PREFIX + "/notifications", _guarded(my_notifications), methods=["GET"]),
        Route(PREFIX + "/notifications/read-all", _guarded(read_all), methods=["POST"]),
        Route(item + "/chatter", _guarded(read_chatter), methods=["GET"]),
        Route(item + "/notes", _guarded(post_note), methods=["POST"]),
        Route(item + "/activities", _guarded(post_activity), methods=["POST"]),
        Route(item + "/activities/{activity_id:int}/done", _guarded(activity_done),
              methods=["POST"]),
    ]
