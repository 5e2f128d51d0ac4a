"""Weekly visit plans generated from routes (拜访计划 from 拜访路线)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from addons.crm_team.models import PLANNED, Plan, Route, Visit
from core.context import Actor
from core.errors import ValidationError
from core.i18n import _


def monday(day: dt.date) -> dt.date:
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def routes_of(session: Session, owner_id: int | None, week_start: dt.date) -> list[Route]:
    """The owner's active routes that run in the week, with their stops (one query each)."""
    routes = session.scalars(sa.select(Route).where(Route.owner_id == owner_id,
                                                    Route.active.is_(True))
                             .options(selectinload(Route.stops)).order_by(Route.weekday, Route.id))
    return [route for route in routes if route.runs_in(week_start)]


def fill_from_routes(session: Session, plan: Plan) -> int:
    """Add the routes' stops of the plan's week as planned visits; returns how many.

    A customer already planned on a day is not added twice, so running it again
    after editing the plan only adds what is missing.
    """
    have = {(v.visited_on, v.customer_id) for v in plan.visits}
    added = 0
    for route in routes_of(session, plan.owner_id, plan.week_start):
        day = plan.week_start + dt.timedelta(days=int(route.weekday) - 1)
        for place, stop in enumerate(route.stops, start=1):
            if (day, stop.customer_id) in have:
                continue
            have.add((day, stop.customer_id))
            plan.visits.append(Visit(
                visited_on=day, customer_id=stop.customer_id, state=PLANNED, kind="visit",
                route_id=route.id, sequence=place, purpose=stop.purpose, summary=""))
            added += 1
    return added


def generate_action(session: Session, plan: Plan, actor: Actor, values: dict[str, Any]) -> str:
    """RecordAction: fill a draft plan from the rep's routes."""
    if plan.state != "draft":
        raise ValidationError(_("Only a draft plan can be filled from the routes."))
    added = fill_from_routes(session, plan)
    return _("{count} visits added from the routes.").format(count=added)


def plan_for_week(session: Session, owner_id: int, week_start: dt.date) -> Plan:
    """The rep's plan of the week, created from the routes when there is none yet."""
    week_start = monday(week_start)
    plan = session.scalar(sa.select(Plan).where(Plan.owner_id == owner_id,
                                                Plan.week_start == week_start))
    if plan is None:
        plan = Plan(owner_id=owner_id, week_start=week_start)
        session.add(plan)
        fill_from_routes(session, plan)
        session.flush()
    return plan


def submitted_plan(plan: Plan, actor: Actor) -> str | None:
    """Workflow guard: a plan is sent with at least one visit."""
    return None if plan.visits else _("Add at least one visit before submitting the plan.")
