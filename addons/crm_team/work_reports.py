"""Work reports (工作报告): periods, the figures they are pre-filled with, reminders, the board.

Figures are counted in SQL, one statement per source: visits (this addon),
new customers (crm_customer), and whatever other enabled addons add through
the `kehu_extra_period_figures` hook (deals moved and won, quotes...).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_team.models import DONE, Visit, WorkReport
from core.audit import Activity, add_activity
from core.context import Actor, current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.models import Division, Role, User
from core.org import SALES_REP

SUBMITTED = ("submitted", "reviewed")


def period_of(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The day, week (Monday to Sunday) or calendar month that holds `day`."""
    if kind == "daily":
        return day, day
    if kind == "monthly":
        start = day.replace(day=1)
        return start, start.replace(day=calendar.monthrange(day.year, day.month)[1])
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def title_of(kind: str, start: dt.date) -> str:
    """A report's title: 2026-12-07, 2026-W50, 2026-12 (the same in both languages)."""
    if kind == "daily":
        return start.isoformat()
    if kind == "monthly":
        return start.strftime("%Y-%m")
    year, week, _day = start.isocalendar()
    return f"{year}-W{week:02d}"


def _between(column: Any, start: dt.date, end: dt.date) -> sa.ColumnElement[bool]:
    return sa.and_(column >= start, column <= end)


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def visit_figures(session: Session, owner_id: int, start: dt.date,
                  end: dt.date) -> dict[str, int]:
    """Planned, done, checked-in and decision-maker visits of the rep in the period."""
    done = Visit.state == DONE
    row = session.execute(sa.select(
        _count_if(Visit.plan_id.is_not(None)),
        _count_if(done),
        _count_if(sa.and_(done, Visit.checkin_at.is_not(None))),
        _count_if(Visit.met_decision_maker.is_(True)),
    ).where(Visit.owner_id == owner_id, _between(Visit.visited_on, start, end))).one()
    return {"visits_planned": int(row[0]), "visits_done": int(row[1]),
            "visits_checked_in": int(row[2]), "decision_maker_meetings": int(row[3])}


def new_customer_count(session: Session, owner_id: int, start: dt.date, end: dt.date) -> int:
    """Customers the rep owns that were created in the period."""
    upto = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    return int(session.scalar(sa.select(sa.func.count()).select_from(Customer).where(
        Customer.owner_id == owner_id, Customer.create_date >= dt.datetime.combine(start, dt.time()),
        Customer.create_date < upto)) or 0)


def prefill(session: Session, report: WorkReport, hooks: Any = None) -> WorkReport:
    """Write the period's figures into the report (as the system: every row counts)."""
    owner = report.owner_id or current_actor().user_id
    start, end = period_of(report.kind, report.period_start)
    with system_context():
        figures = visit_figures(session, owner, start, end)
        figures["new_customers"] = new_customer_count(session, owner, start, end)
        lines: list[str] = []
        if hooks is not None:
            for answer in hooks.kehu_extra_period_figures(
                    session=session, user_id=owner, date_from=start, date_to=end):
                lines += [f"{label}: {value}" for label, value in answer]
    for key, value in figures.items():
        setattr(report, key, value)
    report.other_figures = "\n".join(lines) or None
    return report


def refresh_action(session: Session, report: WorkReport, actor: Actor,
                   values: dict[str, Any]) -> str:
    """RecordAction: count the figures again (a draft report only)."""
    if report.state != "draft":
        raise ValidationError(_("Only a draft report can be refreshed."))
    prefill(session, report, _hooks(session, report.division_id))
    return _("Figures refreshed.")


def _hooks(session: Session, division_id: int | None) -> Any:
    from core.runtime import kernel_of

    kernel = kernel_of(session)
    return kernel.hooks_for(division_id) if kernel is not None else None


def ready_to_submit(report: WorkReport, actor: Actor) -> str | None:
    """Workflow guard of `submit`: a report says something besides its figures."""
    if not (report.summary or "").strip() and not (report.plans or "").strip():
        return _("Write a summary or your plans before submitting the report.")
    return None


# ---------------------------------------------------------------- reminders


def reps_of(session: Session, division_id: int) -> list[int]:
    """Active sales reps of the division."""
    return list(session.scalars(sa.select(User.id).where(
        User.division_id == division_id, User.active.is_(True),
        User.roles.any(Role.code == SALES_REP)).order_by(User.id)))


def missing_reports(session: Session, division_id: int, kind: str,
                    day: dt.date) -> list[int]:
    """Reps of the division with no submitted `kind` report for the period holding `day`."""
    start, _end = period_of(kind, day)
    filed = sa.select(WorkReport.owner_id).where(
        WorkReport.kind == kind, WorkReport.period_start == start,
        WorkReport.state.in_(SUBMITTED))
    return [user for user in reps_of(session, division_id)
            if user not in set(session.scalars(filed))]


def remind_weekly(session: Session, division: Division, *, today: dt.date | None = None) -> int:
    """Job: each rep without a submitted report for last week gets a pre-filled draft and a
    task to submit it (once: an open reminder task is not repeated)."""
    today = today or dt.date.today()
    start, _end = period_of("weekly", today - dt.timedelta(days=7))
    reminded = 0
    for user_id in missing_reports(session, division.id, "weekly", start):
        report = session.scalar(sa.select(WorkReport).where(
            WorkReport.owner_id == user_id, WorkReport.kind == "weekly",
            WorkReport.period_start == start))
        if report is None:
            report = WorkReport(owner_id=user_id, kind="weekly", period_start=start,
                                division_id=division.id)
            session.add(report)
            prefill(session, report, _hooks(session, division.id))
            session.flush()
        if _open_reminder(session, report, user_id):
            continue
        add_activity(session, report, kind="task", assignee_id=user_id, due_date=today,
                     summary=_("Submit your weekly report {title}").format(title=report.title))
        reminded += 1
    return reminded


def _open_reminder(session: Session, report: WorkReport, user_id: int) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(Activity).where(
        Activity.model == WorkReport.__tablename__, Activity.res_id == report.id,
        Activity.assignee_id == user_id, Activity.done.is_(False))) > 0


# -------------------------------------------------------------------- board


@dataclass
class BoardRow:
    """One rep on the team board: their report of the period, if any."""

    user_id: int
    name: str
    report: WorkReport | None


def board(session: Session, kind: str, day: dt.date) -> list[BoardRow]:
    """Reps the reader may see (their reports under the record rules), with the period's report.

    Reps come from the reader's division; the reports are read as the reader, so a
    manager sees their department's and a rep only their own.
    """
    actor = current_actor()
    start, _end = period_of(kind, day)
    reports = {r.owner_id: r for r in session.scalars(sa.select(WorkReport).where(
        WorkReport.kind == kind, WorkReport.period_start == start))}
    with system_context():
        people = session.execute(sa.select(User.id, User.name, User.department_id).where(
            User.id.in_(reps_of(session, actor.division_id))).order_by(User.name)).all()
    visible_departments = _visible_departments(session, actor)
    return [BoardRow(user_id, name, reports.get(user_id)) for user_id, name, department in people
            if user_id in reports or user_id == actor.user_id or visible_departments is None
            or department in visible_departments]


def _visible_departments(session: Session, actor: Actor) -> set[int] | None:
    """Departments whose reps a reader sees on the board (None: all of the division)."""
    from core.models import Department
    from core.org import GENERAL_MANAGER

    if actor.system or actor.is_admin or GENERAL_MANAGER in actor.roles:
        return None
    paths = set(actor.managed_paths)
    if not paths:
        return set()
    with system_context():
        return set(session.scalars(sa.select(Department.id).where(
            sa.or_(*[Department.path.startswith(p, autoescape=True) for p in paths]))))
