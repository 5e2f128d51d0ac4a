"""Below a record's form: its chatter (notes, activities, tracked changes) and,
for administrators, "why can this user see it?"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core import audit
from core.access.explain import explain
from core.context import current_actor, system_context
from core.errors import AccessDenied, KehuError, NotFound, ValidationError
from core.i18n import _
from core.models import User
from core.org import actor_for
from core.web.pages import render
from core.web.ui.common import kernel_of, model_page, page_context

ACTIVITY_KINDS = ("call", "visit", "task", "meeting")


def chatter_context(request: Request, key: str, record: Any, session: Any) -> dict[str, Any]:
    """What the form template shows under a saved record."""
    return {"chatter": audit.chatter(session, record), "activity_kinds": ACTIVITY_KINDS,
            "today": dt.date.today().isoformat()}


def _note(request: Request, key: str, record_id: int, body: str) -> None:
    page = model_page(request, key)
    with kernel_of(request).sessions.begin() as session:
        audit.add_note(session, page.records.get(session, record_id), body)


def _activity(request: Request, key: str, record_id: int, form: dict[str, str]) -> None:
    page = model_page(request, key)
    due = None
    if form.get("due_date"):
        try:
            due = dt.date.fromisoformat(form["due_date"])
        except ValueError:
            message = _("Enter a date such as 2026-11-24.")
            raise ValidationError(message, fields={"due_date": message}) from None
    with kernel_of(request).sessions.begin() as session:
        audit.add_activity(session, page.records.get(session, record_id), kind=form.get("kind", ""),
                           summary=form.get("summary", ""), due_date=due,
                           assignee_id=current_actor().user_id)


def _done(request: Request, key: str, record_id: int, activity_id: int, result: str) -> None:
    page = model_page(request, key)
    with kernel_of(request).sessions.begin() as session:
        page.records.get(session, record_id)
        activity = session.get(audit.Activity, activity_id)
        if activity is None or activity.res_id != record_id:
            raise NotFound(_("The record does not exist or you may not see it."))
        audit.mark_done(session, activity_id, result=result)


async def add_entry(request: Request) -> Response:
    """POST /m/<key>/<id>/note, /activity, /activities/<aid>/done."""
    key = request.path_params["key"]
    record_id = int(request.path_params["record_id"])
    form = {k: str(v) for k, v in (await request.form()).items()}
    kind = request.url.path.rsplit("/", 1)[1]
    try:
        if kind == "note":  # …/note, …/activity or …/activities/<id>/done
            await run_in_threadpool(_note, request, key, record_id, form.get("body", ""))
        elif kind == "activity":
            await run_in_threadpool(_activity, request, key, record_id, form)
        else:
            await run_in_threadpool(_done, request, key, record_id,
                                    int(request.path_params["activity_id"]), form.get("result", ""))
    except KehuError as error:
        details = " ".join(error.fields.values())
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Nothing was added"),
                                     message=f"{error.message} {details}".strip(),
                                     back=f"/m/{key}/{record_id}"))
    return RedirectResponse(f"/m/{key}/{record_id}#chatter", status_code=303)


def _why(request: Request, key: str, record_id: int, login: str) -> dict[str, Any]:
    page = model_page(request, key)
    if not current_actor().is_admin:
        raise AccessDenied(_("Only an administrator may ask why somebody sees a record."))
    kernel = kernel_of(request)
    with system_context(), kernel.session() as session:
        user = session.scalar(sa.select(User).where(User.login == login)) if login else None
        if login and user is None:
            message = _("No user with this login.")
            raise ValidationError(message, fields={"login": message})
        subject = actor_for(session, user) if user is not None else None
    explanation = None
    if subject is not None:
        with kernel.session() as session:
            explanation = explain(session, subject, page.model, record_id)
    return page_context(request, page=page, record_id=record_id, login=login,
                        explanation=explanation)


async def why_page(request: Request) -> Response:
    """GET /m/<key>/<id>/why?login=…: which roles and rules let that user see it."""
    key = request.path_params["key"]
    record_id = int(request.path_params["record_id"])
    login = request.query_params.get("login", "").strip()
    try:
        context = await run_in_threadpool(_why, request, key, record_id, login)
    except ValidationError as error:
        context = page_context(request, page=model_page(request, key), record_id=record_id,
                               login=login, explanation=None, error=error)
    return render(request, "why.html", **context)
