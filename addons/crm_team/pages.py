"""Phone pages crm_team serves under /a/crm_team/ (移动拜访, #17).

Small server-rendered pages for a 390 px screen over a slow connection: today's
list, one visit (check in, record, photos, check out), a route's itinerary and
the team board. The only script (checkin.js, ~1 KB) asks the browser for the
position when the rep taps "Check in"; refused or unavailable, the form is sent
anyway and says so. Everything is read and written as the signed-in user, so
rights and record rules apply; the kernel answers 404 where crm_team is off.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy.orm import Session, selectinload
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from addons.crm_customer.models import DECISION_ROLES, Contact, Customer
from addons.crm_team import checkin, work_reports
from addons.crm_team.models import PLANNED, Visit, VisitContact
from addons.crm_team.models import Route as VisitRoute
from core import attachments, i18n
from core.audit import Activity
from core.context import current_actor
from core.errors import KehuError, NotFound
from core.i18n import _
from core.web.pages import csrf_input, environment, read_notice, with_notice
from core.web.ui.common import page_context

HERE = Path(__file__).parent
_environment = environment.overlay(
    loader=ChoiceLoader([FileSystemLoader(str(HERE / "templates")), environment.loader]))  # type: ignore[list-item]
ASSETS = {"checkin.js": "application/javascript", "team.css": "text/css"}


def render(request: Request, template: str, *, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """Render one of this addon's templates (they extend the kernel's base.html)."""
    html = _environment.get_template(template).render(
        request=request, url_for=request.url_for, locale=i18n.current_locale(),
        csrf_input=lambda: csrf_input(request), notice=read_notice(request),
        user_name=getattr(request.state, "user_name", ""), here=request.url.path,
        **page_context(request, **context))
    return HTMLResponse(html, status_code=status_code)


def _kernel(request: Request) -> Any:
    return request.app.state.kernel


# ------------------------------------------------------------------ today


def _today_data(request: Request, day: dt.date) -> dict[str, Any]:
    actor = current_actor()
    with _kernel(request).session() as session:
        visits = list(session.scalars(
            sa.select(Visit).where(Visit.owner_id == actor.user_id, sa.or_(
                Visit.visited_on == day,
                sa.and_(Visit.state == PLANNED, Visit.checkin_at.is_not(None))))
            .order_by(Visit.visited_on, Visit.sequence, Visit.id)))
        names = _customer_names(session, {v.customer_id for v in visits})
        activities = list(session.scalars(
            sa.select(Activity).where(Activity.assignee_id == actor.user_id,
                                      Activity.done.is_(False), Activity.due_date <= day)
            .order_by(Activity.due_date, Activity.id).limit(20)))
        customers = session.execute(
            sa.select(Customer.id, Customer.name).where(Customer.owner_id == actor.user_id)
            .order_by(Customer.name).limit(200)).all()
    return {"visits": visits, "names": names, "activities": activities,
            "customers": customers, "day": day}


def _customer_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(sa.select(Customer.id, Customer.name)
                                .where(Customer.id.in_(sorted(ids)))).all())


async def today(request: Request) -> Response:
    """GET /a/crm_team/today: the rep's visits of the day, due activities, a new visit."""
    data = await run_in_threadpool(_today_data, request, dt.date.today())
    return render(request, "today.html", title=_("Today"), **data)


def _start(request: Request, customer_id: int) -> int:
    with _kernel(request).sessions.begin() as session:
        if session.get(Customer, customer_id) is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        visit = Visit(customer_id=customer_id, state=PLANNED, visited_on=dt.date.today(),
                      kind="visit", summary="")
        session.add(visit)
        session.flush()
        return int(visit.id)


async def start(request: Request) -> Response:
    """POST /a/crm_team/visits: an unplanned visit at one of the rep's customers, today."""
    form = await request.form()
    raw = str(form.get("customer_id") or "")
    if not raw.isdigit():
        return RedirectResponse(with_notice(request, "/a/crm_team/today",
                                            _("Choose a customer.")), status_code=303)
    try:
        visit_id = await run_in_threadpool(_start, request, int(raw))
    except KehuError as error:
        return _refused(request, error)
    return RedirectResponse(f"/a/crm_team/visits/{visit_id}", status_code=303)


# ------------------------------------------------------------------ a visit


def _visit_data(request: Request, visit_id: int) -> dict[str, Any]:
    kernel = _kernel(request)
    with kernel.session() as session:
        visit = session.scalar(sa.select(Visit).where(Visit.id == visit_id)
                               .options(selectinload(Visit.people)))
        if visit is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        customer = session.get(Customer, visit.customer_id)
        contacts = list(session.scalars(sa.select(Contact).where(
            Contact.customer_id == visit.customer_id).order_by(Contact.name).limit(50)))
        photos = attachments.listed(session, [(Visit.__tablename__, visit.id)])
        limit = checkin.checkin_limit(session, visit.division_id)
        session.expunge_all()
    met = {p.contact_id for p in visit.people if p.contact_id}
    return {"visit": visit, "customer": customer, "contacts": contacts, "met": met,
            "others": [p for p in visit.people if not p.contact_id], "photos": photos,
            "limit": limit, "roles": dict(DECISION_ROLES),
            "can_check_in": checkin.can_check_in(visit),
            "can_check_out": checkin.can_check_out(visit)}


async def visit_page(request: Request) -> Response:
    """GET /a/crm_team/visits/<id>: check in, record the visit, check out."""
    try:
        data = await run_in_threadpool(_visit_data, request, int(request.path_params["visit_id"]))
    except KehuError as error:
        return _refused(request, error)
    return render(request, "visit.html", title=data["customer"].name if data["customer"]
                  else _("Visit"), **data)


def _refused(request: Request, error: KehuError) -> HTMLResponse:
    return render(request, "team_message.html", status_code=error.status,
                  title=_("Not done"), message=error.message, back="/a/crm_team/today")


def _back(request: Request, visit_id: int, message: str) -> RedirectResponse:
    return RedirectResponse(with_notice(request, f"/a/crm_team/visits/{visit_id}", message),
                            status_code=303)


def _check_in(request: Request, visit_id: int, form: dict[str, str]) -> str:
    with _kernel(request).sessions.begin() as session:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        return checkin.check_in_action(session, visit, current_actor(), form)


async def check_in(request: Request) -> Response:
    """POST /a/crm_team/visits/<id>/checkin: latitude, longitude, accuracy or position."""
    visit_id = int(request.path_params["visit_id"])
    form = await request.form()
    values = {key: str(form.get(key) or "") for key in
              ("latitude", "longitude", "accuracy", "position")}
    try:
        message = await run_in_threadpool(_check_in, request, visit_id, values)
    except KehuError as error:
        return _refused(request, error)
    return _back(request, visit_id, message)


def _record(request: Request, visit_id: int, form: Any, photos: list[tuple[str, bytes]]) -> None:
    kernel = _kernel(request)
    with kernel.sessions.begin() as session:
        visit = session.scalar(sa.select(Visit).where(Visit.id == visit_id)
                               .options(selectinload(Visit.people)))
        if visit is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        for key in ("purpose", "result", "next_step"):
            setattr(visit, key, str(form.get(key) or "").strip() or None)
        visit.summary = str(form.get("summary") or "").strip()[:255]
        _people(visit, {int(v) for v in form.getlist("met") if str(v).isdigit()},
                str(form.get("other") or "").strip())
        session.flush()
        data_dir = kernel.settings.path(kernel.settings.data_dir)
        for name, content in photos:
            attachments.store(session, data_dir, Visit, visit.id,
                              attachments.Upload(name, content))


def _people(visit: Visit, met: set[int], other: str) -> None:
    """The contacts ticked, plus one more person typed by name (kept when already there)."""
    keep = [p for p in visit.people if (p.contact_id in met) or (not p.contact_id)]
    have = {p.contact_id for p in keep}
    keep += [VisitContact(contact_id=contact_id) for contact_id in sorted(met - have)]
    if other and other not in {p.name for p in keep if not p.contact_id}:
        keep.append(VisitContact(name=other[:64]))
    visit.people = keep


async def record(request: Request) -> Response:
    """POST /a/crm_team/visits/<id>/record: purpose, result, next step, people, photos."""
    visit_id = int(request.path_params["visit_id"])
    form = await request.form(max_part_size=attachments.MAX_SIZE + 1)
    try:
        photos = []
        for item in form.getlist("photo"):
            if isinstance(item, UploadFile) and item.filename:
                attachments.check_size(item.size or 0)
                photos.append((item.filename, await item.read()))
        await run_in_threadpool(_record, request, visit_id, form, photos)
    except KehuError as error:
        return _refused(request, error)
    finally:
        await form.close()
    return _back(request, visit_id, _("Visit saved."))


def _check_out(request: Request, visit_id: int) -> str:
    with _kernel(request).sessions.begin() as session:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        return checkin.check_out_action(session, visit, current_actor(), {})


async def check_out(request: Request) -> Response:
    """POST /a/crm_team/visits/<id>/checkout: the visit is done."""
    visit_id = int(request.path_params["visit_id"])
    try:
        message = await run_in_threadpool(_check_out, request, visit_id)
    except KehuError as error:
        return _refused(request, error)
    return RedirectResponse(with_notice(request, "/a/crm_team/today", message), status_code=303)


# ------------------------------------------------------------ routes, board


def _route_data(request: Request, route_id: int) -> dict[str, Any]:
    with _kernel(request).session() as session:
        route = session.scalar(sa.select(VisitRoute).where(VisitRoute.id == route_id)
                               .options(selectinload(VisitRoute.stops)))
        if route is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        customers = {c.id: c for c in session.scalars(sa.select(Customer).where(
            Customer.id.in_([s.customer_id for s in route.stops])))}
        session.expunge_all()
    return {"route": route, "customers": customers}


async def itinerary(request: Request) -> Response:
    """GET /a/crm_team/routes/<id>: the route's customers in order, with addresses."""
    try:
        data = await run_in_threadpool(_route_data, request, int(request.path_params["route_id"]))
    except KehuError as error:
        return _refused(request, error)
    return render(request, "itinerary.html", title=data["route"].name, **data)


def _board_data(request: Request, kind: str, day: dt.date) -> dict[str, Any]:
    with _kernel(request).session() as session:
        rows = work_reports.board(session, kind, day)
        session.expunge_all()
    start, end = work_reports.period_of(kind, day)
    return {"rows": rows, "start": start, "end": end, "kind": kind,
            "previous": start - dt.timedelta(days=1), "next": end + dt.timedelta(days=1)}


async def board(request: Request) -> Response:
    """GET /a/crm_team/board?kind=weekly&day=2026-12-07: who has submitted their report."""
    kind = request.query_params.get("kind", "weekly")
    kind = kind if kind in ("daily", "weekly", "monthly") else "weekly"
    try:
        day = dt.date.fromisoformat(request.query_params.get("day", ""))
    except ValueError:
        day = dt.date.today() - dt.timedelta(days=7 if kind == "weekly" else 0)
    data = await run_in_threadpool(_board_data, request, kind, day)
    return render(request, "board.html", title=_("Team board"), **data)


async def asset(request: Request) -> Response:
    """The check-in script and the phone pages' styles (CSP: scripts and styles from here)."""
    name = request.path_params["name"]
    if name not in ASSETS:
        return Response(status_code=404)
    return FileResponse(HERE / "static" / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400"})


ROUTES: list[BaseRoute] = [
    Route("/today", today, name="crm_team_today"),
    Route("/visits", start, methods=["POST"], name="crm_team_start"),
    Route("/visits/{visit_id:int}", visit_page, name="crm_team_visit"),
    Route("/visits/{visit_id:int}/checkin", check_in, methods=["POST"], name="crm_team_checkin"),
    Route("/visits/{visit_id:int}/record", record, methods=["POST"], name="crm_team_record"),
    Route("/visits/{visit_id:int}/checkout", check_out, methods=["POST"],
          name="crm_team_checkout"),
    Route("/routes/{route_id:int}", itinerary, name="crm_team_itinerary"),
    Route("/board", board, name="crm_team_board"),
    Route("/static/{name}", asset, name="crm_team_asset"),
]
