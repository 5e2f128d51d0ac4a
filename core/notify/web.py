"""The notifications page, marking read, and following a record (#18)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from core.audit import _model_of, load_record
from core.context import current_actor, system_context
from core.errors import NotFound
from core.i18n import _
from core.notify import follow, unfollow
from core.notify.delivery import text_of
from core.notify.kinds import LABELS
from core.notify.models import Notification
from core.notify.preferences import preferences_page
from core.orm import utcnow
from core.web.pages import environment, render
from core.web.security import safe_next
from core.web.ui.common import page_context

PAGE = 50


@dataclass(frozen=True)
class Shown:
    """A notification as the list shows it, in the reader's language."""

    id: int
    kind: str
    label: str
    text: str
    date: dt.datetime
    read: bool
    url: str | None


def _url(row: Notification) -> str | None:
    if row.model and row.res_id:
        return f"/m/{row.model}/{row.res_id}"
    link = (row.params or {}).get("url")  # a page, not a record: an import's result (#20)
    if isinstance(link, str) and link.startswith("/") and not link.startswith("//"):
        return link
    return None


def shown(row: Notification) -> Shown:
    return Shown(row.id, row.kind, str(LABELS.get(row.kind, row.kind)), text_of(row),
                 row.create_date, row.read, _url(row))


def unread_count(session: Session, user_id: int | None) -> int:
    """How many unread notifications the user has (one indexed count)."""
    if user_id is None:
        return 0
    with system_context():
        return int(session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read.is_(False))) or 0)


def latest(session: Session, user_id: int | None, *, limit: int = PAGE, unread_only: bool = False,
           before: int | None = None) -> list[Shown]:
    """The user's notifications, newest first (keyset: ids below `before`)."""
    if user_id is None:
        return []
    statement = sa.select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        statement = statement.where(Notification.read.is_(False))
    if before is not None:
        statement = statement.where(Notification.id < before)
    with system_context():
        rows = session.scalars(statement.order_by(Notification.id.desc()).limit(limit))
        return [shown(row) for row in rows]


def mark_read(session: Session, user_id: int | None, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) notification of the user read; how many changed."""
    statement = sa.update(Notification).where(Notification.user_id == user_id,
                                              Notification.read.is_(False))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    with system_context():
        result = session.execute(statement.values(read=True, read_at=utcnow())
                                 .execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def _kernel(request: Request) -> Any:
    return request.app.state.kernel


def _page(request: Request) -> dict[str, Any]:
    actor = current_actor()
    before = request.query_params.get("before")
    unread = request.query_params.get("unread") == "1"
    with _kernel(request).session() as session:
        rows = latest(session, actor.user_id, unread_only=unread,
                      before=int(before) if before and before.isdigit() else None)
        count = unread_count(session, actor.user_id)
    more = rows[-1].id if len(rows) == PAGE else None
    return page_context(request, rows=rows, unread=count, only_unread=unread, more=more)


async def notifications_page(request: Request) -> Response:
    """GET /notifications: my notifications, newest first, 50 a page."""
    context = await run_in_threadpool(_page, request)
    return render(request, "notifications.html", **context)


def _open(request: Request, notification_id: int) -> str | None:
    actor = current_actor()
    with _kernel(request).sessions.begin() as session:
        with system_context():
            row = session.get(Notification, notification_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFound(_("The record does not exist or you may not see it."))
        mark_read(session, actor.user_id, notification_id)
        return _url(row)


async def open_notification(request: Request) -> Response:
    """POST /notifications/<id>/read: mark it read and go to its record (or back)."""
    form = await request.form()
    url = await run_in_threadpool(_open, request, int(request.path_params["notification_id"]))
    target = url if form.get("go") == "1" and url else safe_next(form.get("next"), "/notifications")
    return RedirectResponse(target, status_code=303)


def _read_all(request: Request) -> None:
    with _kernel(request).sessions.begin() as session:
        mark_read(session, current_actor().user_id)


async def read_all(request: Request) -> Response:
    """POST /notifications/read-all."""
    form = await request.form()
    await run_in_threadpool(_read_all, request)
    return RedirectResponse(safe_next(form.get("next"), "/notifications"), status_code=303)


def _count(request: Request) -> int:
    with _kernel(request).session() as session:
        return unread_count(session, current_actor().user_id)


async def count(request: Request) -> Response:
    """GET /notifications/count: {"unread": n}, for the bell to refresh itself."""
    return JSONResponse({"unread": await run_in_threadpool(_count, request)})


def _follow(request: Request, key: str, record_id: int, on: bool) -> None:
    model_cls = _kernel(request).model_keys.get(key) or _model_of(key)
    if model_cls is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    actor = current_actor()
    with _kernel(request).sessions.begin() as session:
        record = load_record(session, model_cls, record_id)
        if on:
            follow(session, record, actor.user_id)  # type: ignore[arg-type]
        else:
            unfollow(session, record, actor.user_id)  # type: ignore[arg-type]


async def follow_record(request: Request) -> Response:
    """POST /m/<key>/<id>/follow (or /unfollow): follow a record's changes."""
    form = await request.form()
    key, record_id = request.path_params["key"], int(request.path_params["record_id"])
    on = request.url.path.endswith("/follow")
    await run_in_threadpool(_follow, request, key, record_id, on)
    return RedirectResponse(safe_next(form.get("next"), f"/m/{key}/{record_id}"), status_code=303)


def following(request: Request, key: str, record_id: int) -> bool:
    """Whether the current user follows the record (for the form's Follow button)."""
    from core.notify.models import Follower

    actor = current_actor()
    if actor.user_id is None:
        return False
    with system_context(), _kernel(request).session() as session:
        return session.scalar(sa.select(Follower.id).where(
            Follower.model == key, Follower.res_id == record_id,
            Follower.user_id == actor.user_id)) is not None


environment.globals["kehu_following"] = following


def notify_routes() -> list[BaseRoute]:
    return [
        Route("/notifications", notifications_page, name="notifications"),
        Route("/notifications/count", count, name="notifications_count"),
        Route("/preferences", preferences_page, methods=["GET", "POST"], name="preferences"),
        Route("/notifications/read-all", read_all, methods=["POST"], name="notifications_read_all"),
        Route("/notifications/{notification_id:int}/read", open_notification, methods=["POST"],
              name="notification_read"),
        Route("/m/{key}/{record_id:int}/follow", follow_record, methods=["POST"],
              name="record_follow"),
        Route("/m/{key}/{record_id:int}/unfollow", follow_record, methods=["POST"],
              name="record_unfollow"),
    ]
