"""Save-time completions and checks of crm_team's records (kehu_prepare_records).

Who a record belongs to comes from the acting rep when not given; the
department from the owner; a visit's region from its customer; a line copies
its parent's owner and department so the record rules read it directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Contact, Customer
from addons.crm_team.models import (
    DONE,
    PLANNED,
    Plan,
    Route,
    Trip,
    TripStop,
    Visit,
    VisitContact,
    WorkReport,
)
from core.context import current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.org import department_in
from core.orm import utcnow

DECISION_MAKER = "decision_maker"


def _owner_and_department(session: Session, record: Any) -> None:
    if record.owner_id is None:
        record.owner_id = current_actor().user_id
    if record.department_id is None and record.owner_id is not None:
        record.department_id = department_in(session, record.owner_id, record.division_id)


def _contacts(session: Session, ids: set[int]) -> dict[int, Contact]:
    if not ids:
        return {}
    with system_context():
        return {c.id: c for c in session.scalars(sa.select(Contact).where(Contact.id.in_(ids)))}


def prepare_visit(session: Session, visit: Visit) -> None:
    """Owner, department, region; people met; the flags reports count."""
    _owner_and_department(session, visit)
    if visit.region_id is None and visit.customer_id is not None:
        with system_context():
            customer = session.get(Customer, visit.customer_id)
        visit.region_id = customer.region_id if customer is not None else None
    visit.summary = visit.summary or ""
    visit.state = visit.state or DONE  # the column's default, needed before the insert
    visit.kind = visit.kind or "visit"
    visit.sequence = visit.sequence or 0  # a plan's line may leave it out
    contacts = _contacts(session, {p.contact_id for p in visit.people if p.contact_id}
                         | ({visit.contact_id} if visit.contact_id else set()))
    for index, person in enumerate(visit.people):
        _prepare_person(visit, person, contacts, index)
    roles = {p.decision_role for p in visit.people}
    if visit.contact_id in contacts:
        roles.add(contacts[visit.contact_id].decision_role)
    # A call is no meeting: only visits and meetings count (the funnel's metric, #17).
    visit.met_decision_maker = (visit.state == DONE and visit.kind != "call"
                                and DECISION_MAKER in roles)
    visit.without_checkin = visit.state == DONE and visit.checkin_at is None
    if visit.checkin_at is not None and visit.checkout_at is not None:
        if visit.checkout_at < visit.checkin_at:
            message = _("Check-out cannot come before check-in.")
            raise ValidationError(message, fields={"checkout_at": message})
        visit.duration_minutes = round((visit.checkout_at - visit.checkin_at).total_seconds() / 60)


def _prepare_person(visit: Visit, person: VisitContact, contacts: dict[int, Contact],
                    index: int) -> None:
    contact = contacts.get(person.contact_id) if person.contact_id else None
    if contact is not None:
        if contact.customer_id != visit.customer_id:
            message = _("Only people of the visited customer can be named.")
            raise ValidationError(message, fields={f"people.{index}.contact_id": message})
        person.name = person.name or contact.name
        person.decision_role = person.decision_role or contact.decision_role
    if not person.name:
        message = _("Name the person met, or pick a contact.")
        raise ValidationError(message, fields={f"people.{index}.name": message})
    person.owner_id, person.department_id = visit.owner_id, visit.department_id
    if visit.division_id is not None:
        person.division_id = visit.division_id


def prepare_route(session: Session, route: Route) -> None:
    _owner_and_department(session, route)
    if (route.every_weeks or 0) < 1:
        message = _("A route runs every week or every few weeks (1 or more).")
        raise ValidationError(message, fields={"every_weeks": message})
    for stop in route.stops:
        stop.owner_id, stop.department_id = route.owner_id, route.department_id
        if route.division_id is not None:
            stop.division_id = route.division_id


def prepare_plan(session: Session, plan: Plan) -> None:
    """A plan starts on a Monday; its visits are its rep's and fall in its week."""
    _owner_and_department(session, plan)
    if plan.week_start is not None and plan.week_start.weekday() != 0:
        plan.week_start = plan.week_start - dt.timedelta(days=plan.week_start.weekday())
    week_end = plan.week_start + dt.timedelta(days=6)
    for index, visit in enumerate(plan.visits):
        visit.owner_id, visit.department_id = plan.owner_id, plan.department_id
        visit.state = visit.state or PLANNED  # added to the plan: to be done
        if plan.division_id is not None:
            visit.division_id = plan.division_id
        if visit.visited_on is None or not plan.week_start <= visit.visited_on <= week_end:
            message = _("A planned visit falls in the plan's week ({start} to {end}).").format(
                start=plan.week_start.isoformat(), end=week_end.isoformat())
            raise ValidationError(message, fields={f"visits.{index}.visited_on": message})
    plan.planned_count = len(plan.visits)
    _drop_removed(session, plan)


def _drop_removed(session: Session, plan: Plan) -> None:
    """Visits taken off the plan: a planned one goes, one that happened stays as a visit."""
    if plan.id is None:
        return
    kept = {id(visit) for visit in plan.visits}
    with system_context():
        linked = list(session.scalars(sa.select(Visit).where(Visit.plan_id == plan.id)))
    for visit in linked:
        if id(visit) in kept or visit in session.deleted:
            continue
        if visit.state == PLANNED and visit.checkin_at is None:
            session.delete(visit)
        else:
            visit.plan_id = None


def prepare_report(session: Session, report: WorkReport) -> None:
    """The period follows the kind: one day, Monday to Sunday, or the calendar month."""
    from addons.crm_team.work_reports import period_of, title_of

    _owner_and_department(session, report)
    report.period_start, report.period_end = period_of(report.kind, report.period_start)
    report.title = title_of(report.kind, report.period_start)
    # Stamped in the flush that submits it (a late report shows as late).
    if report.state == "submitted" and report.submitted_at is None:
        report.submitted_at = utcnow()


def _refuse(field: str, message: str) -> None:
    raise ValidationError(message, fields={field: message})


def prepare_trip(session: Session, trip: Trip) -> None:
    """A travel request: a place, dates in order, a cost not below zero, its customers'
    days within the trip; its lines carry the traveller for the record rules."""
    _owner_and_department(session, trip)
    if not (trip.destination or "").strip():
        _refuse("destination", _("Enter where the trip goes."))
    if not (trip.purpose or "").strip():
        _refuse("purpose", _("Enter what the trip is for."))
    if trip.date_from is not None and trip.date_to is not None and trip.date_to < trip.date_from:
        _refuse("date_to", _("The trip cannot end before it starts."))
    if trip.estimated_cost is not None and trip.estimated_cost < 0:
        _refuse("estimated_cost", _("The estimated cost cannot be negative."))
    for index, stop in enumerate(trip.stops):
        stop.owner_id, stop.department_id = trip.owner_id, trip.department_id
        if trip.division_id is not None:
            stop.division_id = trip.division_id
        if stop.planned_on is not None and trip.date_from is not None \
                and trip.date_to is not None \
                and not trip.date_from <= stop.planned_on <= trip.date_to:
            _refuse(f"stops.{index}.planned_on",
                    _("A visit on the trip falls within its dates ({start} to {end}).").format(
                        start=trip.date_from.isoformat(), end=trip.date_to.isoformat()))


PREPARERS: dict[type, Callable[[Session, Any], None]] = {Visit: prepare_visit, Route: prepare_route, Plan: prepare_plan,
             WorkReport: prepare_report, Trip: prepare_trip}


def prepare_records(session: Session, records: list[Any]) -> None:
    """Plans first: they hand owner and division to their visits, which then complete."""
    ordered = sorted(records, key=lambda r: 0 if isinstance(r, (Plan, Route, Trip)) else 1)
    seen: set[int] = set()
    for record in ordered:
        preparer = PREPARERS.get(type(record))
        if preparer is not None and id(record) not in seen:
            seen.add(id(record))
            preparer(session, record)
    # A person added to a visit that is not itself changed completes through its visit.
    for record in records:
        if isinstance(record, VisitContact) and record.visit is not None \
                and id(record.visit) not in seen:
            seen.add(id(record.visit))
            prepare_visit(session, record.visit)
        elif isinstance(record, TripStop) and record.trip is not None \
                and id(record.trip) not in seen:
            seen.add(id(record.trip))
            prepare_trip(session, record.trip)
