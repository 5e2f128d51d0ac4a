"""crm_team's widgets on the home page (工作台): today's visits, and the team's week for managers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_team.models import DONE, Visit, WorkReport
from addons.crm_team.work_reports import period_of
from core.i18n import _, _l
from core.workbench import Content, Figure, Row, Widget, WidgetContext


def todays_visits(ctx: WidgetContext) -> Content | None:
    """The user's visits of the day, in order, each opening the phone page."""
    rows = ctx.session.execute(
        sa.select(Visit.id, Customer.name, Visit.state, Visit.checkin_at)
        .join(Customer, Customer.id == Visit.customer_id)
        .where(Visit.owner_id == ctx.actor.user_id, Visit.visited_on == ctx.today)
        .order_by(Visit.sequence, Visit.id).limit(10)).all()
    return Content(rows=[Row(text=name, url=f"/a/crm_team/visits/{visit_id}",
                             badge="done" if state == DONE else ("today" if checkin else None))
                         for visit_id, name, state, checkin in rows],
                   empty=_("No visit planned for today."), more_url="/a/crm_team/today")


def team_week(ctx: WidgetContext) -> Content | None:
    """For a manager: the team's visits done this week and last week's reports submitted."""
    if not ctx.team_ids:
        return None
    start, end = period_of("weekly", ctx.today)
    team = sorted(ctx.team_ids)
    done = ctx.session.scalar(sa.select(sa.func.count()).select_from(Visit).where(
        Visit.owner_id.in_(team), Visit.state == DONE, Visit.visited_on >= start,
        Visit.visited_on <= end))
    last_start = start - dt.timedelta(days=7)
    reports = ctx.session.scalar(sa.select(sa.func.count()).select_from(WorkReport).where(
        WorkReport.owner_id.in_(team), WorkReport.kind == "weekly",
        WorkReport.period_start == last_start, WorkReport.state.in_(("submitted", "reviewed"))))
    return Content(figures=[
        Figure(_("Visits done this week"), str(done or 0), url="/r/team_visits"),
        Figure(_("Last week's reports submitted"), str(reports or 0), url="/a/crm_team/board")])


WIDGETS = [
    Widget(key="crm_team.todays_visits", label=_l("Today's visits"), render=todays_visits,
           models=(Visit,), sequence=30),
    Widget(key="crm_team.team_week", label=_l("My team this week"), render=team_week,
           models=(Visit, WorkReport), sequence=35, managers_only=True),
]
