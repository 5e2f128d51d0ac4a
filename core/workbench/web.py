"""The workbench page at "/", its one-click actions, announcements, and the top bar's counts."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from core.audit import mark_done
from core.context import Actor, current_actor, system_context
from core.errors import AccessDenied, KehuError
from core.i18n import _
from core.models import Department, Division, User
from core.orm import utcnow
from core.web.pages import environment, render
from core.web.security import safe_next
from core.web.ui.common import page_context
from core.workbench import Content, Widget, WidgetContext
from core.workbench.models import Announcement, AnnouncementRead, RecentRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shown:
    """A widget with what it rendered for this user."""

    key: str
    label: str
    content: Content
    wide: bool


def visible_widgets(kernel: Any, actor: Actor) -> list[tuple[str, Widget]]:
    """The widgets this user may see: addon enabled in their division, role, read rights."""
    enabled = kernel.registry.enabled_for(actor.division_id)
    found = []
    for addon, widget in kernel.registry.collect("kehu_register_widgets"):
        if addon != "core" and addon not in enabled:
            continue
        if widget.roles and not actor.is_admin and not set(widget.roles) & actor.roles:
            continue
        if widget.managers_only and not actor.managed_paths:
            continue
        if not all(kernel.policy.allowed(actor, model, "read") for model in widget.models):
            continue
        found.append((addon, widget))
    return sorted(found, key=lambda item: (item[1].sequence, item[1].key))


def team_of(session: Session, actor: Actor) -> frozenset[int]:
    """Ids of the users in the departments the actor manages (their subtrees)."""
    if not actor.managed_paths:
        return frozenset()
    with system_context():
        paths = [Department.path.startswith(path) for path in actor.managed_paths]
        return frozenset(session.scalars(
            sa.select(User.id).join(Department, Department.id == User.department_id)
            .where(sa.or_(*paths), User.active.is_(True))))


def render_widgets(kernel: Any, actor: Actor, session: Session, *,
                   today: dt.date | None = None) -> list[Shown]:
    """Run every visible widget as `actor`; a failing one is logged and left out."""
    ctx = WidgetContext(session=session, actor=actor, today=today or dt.date.today(),
                        kernel=kernel, now=utcnow(), team_ids=team_of(session, actor))
    shown = []
    for addon, widget in visible_widgets(kernel, actor):
        try:
            content = widget.render(ctx)
        except AccessDenied:
            continue
        except Exception:  # one addon's broken widget must not take the home page down
            log.exception("widget %s of %s failed", widget.key, addon)
            session.rollback()
            continue
        if content is not None:
            shown.append(Shown(widget.key, str(widget.label), content, widget.wide))
    return shown


def _home(request: Request) -> dict[str, Any]:
    kernel = request.app.state.kernel
    actor = current_actor()
    with kernel.session() as session:
        division = session.get(Division, actor.division_id) if actor.division_id else None
        widgets = render_widgets(kernel, actor, session) if actor.user_id else []
    return page_context(request, division=division, widgets=widgets,
                        greeting=_greeting(), today=dt.date.today())


def _greeting() -> str:
    hour = (dt.datetime.now().hour)
    if hour < 12:
        return _("Good morning")
    if hour < 18:
        return _("Good afternoon")
    return _("Good evening")


async def home(request: Request) -> Response:
    """GET /: the workbench (工作台) of the signed-in user."""
    context = await run_in_threadpool(_home, request)
    return render(request, "workbench.html", **context)


def _done(request: Request, activity_id: int) -> None:
    with request.app.state.kernel.sessions.begin() as session:
        mark_done(session, activity_id)


async def activity_done(request: Request) -> Response:
    """POST /workbench/activities/<id>/done: one click from the to-do list."""
    form = await request.form()
    try:
        await run_in_threadpool(_done, request, int(request.path_params["activity_id"]))
    except KehuError as error:
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Not done"), message=error.message,
                                     back="/"))
    return RedirectResponse(safe_next(form.get("next"), "/"), status_code=303)


def _read(request: Request, announcement_id: int) -> None:
    actor = current_actor()
    with system_context(), request.app.state.kernel.sessions.begin() as session:
        exists = session.get(AnnouncementRead, (announcement_id, actor.user_id))
        if exists is None and session.get(Announcement, announcement_id) is not None:
            session.add(AnnouncementRead(announcement_id=announcement_id, user_id=actor.user_id))


async def announcement_read(request: Request) -> Response:
    """POST /workbench/announcements/<id>/read: the announcement leaves my workbench."""
    form = await request.form()
    await run_in_threadpool(_read, request, int(request.path_params["announcement_id"]))
    return RedirectResponse(safe_next(form.get("next"), "/"), status_code=303)


# ------------------------------------------------------------ the top bar


def topbar(request: Request) -> dict[str, int]:
    """Counts the top bar shows: unread notifications and approvals waiting (two queries)."""
    from core.notify.web import unread_count
    from core.workbench.counts import approvals_waiting_count

    actor = current_actor()
    if actor.user_id is None:
        return {"unread": 0, "approvals": 0}
    with request.app.state.kernel.session() as session:
        return {"unread": unread_count(session, actor.user_id),
                "approvals": approvals_waiting_count(session, actor)}


environment.globals["kehu_topbar"] = topbar


# ------------------------------------------------------- recently opened

_RECORD_PAGE = re.compile(r"^/m/([a-z0-9_]+)/(\d+)$")


def remember(kernel: Any, user_id: int, key: str, res_id: int) -> None:
    """Note that `user_id` opened the record (one UPDATE, or an INSERT the first time)."""
    with system_context(), kernel.sessions.begin() as session:
        now = utcnow()
        updated = session.execute(
            sa.update(RecentRecord).where(RecentRecord.user_id == user_id,
                                          RecentRecord.model == key, RecentRecord.res_id == res_id)
            .values(opened_at=now).execution_options(synchronize_session=False))
        if not updated.rowcount:
            session.add(RecentRecord(user_id=user_id, model=key, res_id=res_id, opened_at=now))


class RecentRecordsMiddleware:
    """Remembers each record page a user opened successfully (for "Recently opened")."""

    def __init__(self, app: ASGIApp, kernel: Any) -> None:
        self.app, self.kernel = app, kernel

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _RECORD_PAGE.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        actor = current_actor()  # set by SecurityMiddleware around this one
        status: list[int] = []

        async def watch(message: Any) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, watch)
        key, res_id = match.group(1), int(match.group(2))
        if status == [200] and actor.user_id is not None and key in self.kernel.model_keys:
            try:
                await run_in_threadpool(remember, self.kernel, actor.user_id, key, res_id)
            except Exception:  # remembering is a convenience: never fail the page for it
                log.exception("could not remember the opened record %s/%s", key, res_id)


def workbench_routes() -> list[BaseRoute]:
    return [
        Route("/", home, name="home"),
        Route("/workbench/activities/{activity_id:int}/done", activity_done, methods=["POST"],
              name="workbench_activity_done"),
        Route("/workbench/announcements/{announcement_id:int}/read", announcement_read,
              methods=["POST"], name="workbench_announcement_read"),
    ]
