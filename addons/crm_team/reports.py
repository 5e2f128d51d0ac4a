"""crm_team's reports for the kernel's report engine: visits per rep and week, coverage of
A/B customers, route compliance, work report submission (#17).

Each is one SQL aggregate under the reader's record rules, with the division as a
dimension for HQ, filters, a chart and the XLSX export of /r/<key>.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from addons.crm_customer.models import Customer
from addons.crm_team.models import DONE, TeamSetting, Visit, WorkReport
from core.i18n import _l
from core.org import GENERAL_MANAGER, SALES_MANAGER, SALES_REP
from core.reports import Dimension, Measure, Report, month
from core.views import Filter

SALES = (SALES_REP, SALES_MANAGER, GENERAL_MANAGER)
DEFAULT_COVERAGE_WEEKS = 4  # when a division has no visit settings row


class _Week(FunctionElement[str]):
    """A date column as the ISO date of its week's Monday ('2026-12-07'), sortable text."""

    type = sa.String()
    name = "crm_team_week"
    inherit_cache = True


def week(column: Any) -> sa.ColumnElement[str]:
    return _Week(column)


@compiles(_Week, "sqlite")
def _week_sqlite(element: _Week, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"date({column}, 'weekday 0', '-6 days')"


@compiles(_Week, "postgresql")
def _week_postgresql(element: _Week, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char(date_trunc('week', {column}), 'YYYY-MM-DD')"


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _percent(part: sa.ColumnElement[Any], whole: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return 100.0 * part / sa.func.nullif(whole, 0)


_done = Visit.state == DONE
_planned = Visit.plan_id.is_not(None)
_mine = Filter("mine", _l("Mine"), lambda model, actor: model.owner_id == actor.user_id)

visits = Report(
    key="team_visits", label=_l("Visits per rep and week"), model=Visit,
    description=_l("Planned and done visits, with check-in and with decision makers, per rep "
                   "and week."),
    dimensions=[
        Dimension("owner", _l("Sales rep"), Visit.owner_id),
        Dimension("department", _l("Department"), Visit.department_id),
        Dimension("division", _l("Division"), Visit.division_id),
        Dimension("week", _l("Week of"), week(Visit.visited_on)),
        Dimension("month", _l("Month"), month(Visit.visited_on)),
        Dimension("kind", _l("Kind"), Visit.kind),
    ],
    measures=[
        Measure("planned", _l("Planned"), _count_if(_planned), kind="count"),
        Measure("done", _l("Done"), _count_if(_done), kind="count"),
        Measure("planned_done", _l("Planned and done"), _count_if(sa.and_(_planned, _done)),
                kind="count"),
        Measure("checked_in", _l("With check-in"),
                _count_if(sa.and_(_done, Visit.checkin_at.is_not(None))), kind="count"),
        Measure("far", _l("Checked in far away"), _count_if(Visit.checkin_far.is_(True)),
                kind="count"),
        Measure("decision_makers", _l("Meetings with decision makers"),
                _count_if(Visit.met_decision_maker.is_(True)), kind="count"),
        Measure("plan_rate", _l("Plan done (%)"),
                _percent(_count_if(sa.and_(_planned, _done)), _count_if(_planned)),
                kind="percent"),
    ],
    filters=[_mine], default_rows="owner", default_columns="week", chart="bar",
    chart_measure="done", date_field=Visit.visited_on, roles=SALES,
)

class _DaysBefore(FunctionElement[dt.date]):
    """`day` minus `days` whole days, as a date the database compares with a date column."""

    type = sa.Date()
    name = "crm_team_days_before"
    inherit_cache = True


@compiles(_DaysBefore, "sqlite")
def _days_before_sqlite(element: _DaysBefore, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, '-' || ({days}) || ' days')"


@compiles(_DaysBefore, "postgresql")
def _days_before_postgresql(element: _DaysBefore, compiler: SQLCompiler, **kw: Any) -> str:
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({day} AS DATE) - CAST({days} AS INTEGER))"


def coverage_cycle_start(division_id: Any, today: Any) -> sa.ColumnElement[dt.date]:
    """The first day of the coverage cycle of `division_id`: the division's cycle
    (`TeamSetting.coverage_weeks`, 4 when unset) of whole weeks ending `today`."""
    weeks = sa.select(TeamSetting.coverage_weeks).where(
        TeamSetting.division_id == division_id).correlate_except(TeamSetting).scalar_subquery()
    return _DaysBefore(today, sa.func.coalesce(weeks, DEFAULT_COVERAGE_WEEKS) * 7 - 1)


_today = sa.bindparam("crm_team_coverage_today", type_=sa.Date, unique=True,
                      callable_=dt.date.today)
# Visited in the cycle: a done visit from the cycle's first day up to today (#17).
_visited = Customer.id.in_(sa.select(Visit.customer_id).where(
    Visit.state == DONE, Visit.visited_on <= _today,
    Visit.visited_on >= coverage_cycle_start(Customer.division_id, _today)))

coverage = Report(
    key="team_coverage", label=_l("Coverage of A and B customers"), model=Customer,
    description=_l("Share of each rep's A and B customers visited in the coverage cycle: the "
                   "last weeks set for the division under Visit settings (four by default)."),
    dimensions=[
        Dimension("owner", _l("Sales rep"), Customer.owner_id),
        Dimension("department", _l("Department"), Customer.department_id),
        Dimension("division", _l("Division"), Customer.division_id),
        Dimension("level", _l("Level"), Customer.level),
    ],
    measures=[
        Measure("customers", _l("A and B customers"), sa.func.count(), kind="count"),
        Measure("visited", _l("Visited in the cycle"), _count_if(_visited), kind="count"),
        Measure("coverage", _l("Coverage (%)"), _percent(_count_if(_visited), sa.func.count()),
                kind="percent"),
    ],
    where=lambda model, actor: Customer.level.in_(("A", "B")),
    default_rows="owner", chart="bar", chart_measure="coverage", roles=SALES,
)

_on_route = Visit.route_id.is_not(None)
compliance = Report(
    key="team_route_compliance", label=_l("Route compliance"), model=Visit,
    description=_l("Visits planned from routes and how many were done, checked in, per rep."),
    dimensions=[
        Dimension("owner", _l("Sales rep"), Visit.owner_id),
        Dimension("route", _l("Route"), Visit.route_id),
        Dimension("department", _l("Department"), Visit.department_id),
        Dimension("division", _l("Division"), Visit.division_id),
        Dimension("week", _l("Week of"), week(Visit.visited_on)),
    ],
    measures=[
        Measure("stops", _l("Route stops planned"), sa.func.count(), kind="count"),
        Measure("done", _l("Done"), _count_if(_done), kind="count"),
        Measure("missed", _l("Not done"), _count_if(Visit.state != DONE), kind="count"),
        Measure("checked_in", _l("With check-in"),
                _count_if(sa.and_(_done, Visit.checkin_at.is_not(None))), kind="count"),
        Measure("compliance", _l("Compliance (%)"), _percent(_count_if(_done), sa.func.count()),
                kind="percent"),
    ],
    where=lambda model, actor: sa.and_(_on_route, Visit.visited_on < sa.bindparam(
        "crm_team_today", type_=sa.Date, unique=True, callable_=dt.date.today)),
    filters=[_mine], default_rows="owner", chart="bar", chart_measure="compliance",
    date_field=Visit.visited_on, roles=SALES,
)

_submitted = WorkReport.state.in_(("submitted", "reviewed"))
submission = Report(
    key="team_report_submission", label=_l("Work report submission"), model=WorkReport,
    description=_l("Work reports started, submitted and reviewed per rep; reminders start a "
                   "draft for every missing weekly report, so the rate counts those too."),
    dimensions=[
        Dimension("owner", _l("Sales rep"), WorkReport.owner_id),
        Dimension("department", _l("Department"), WorkReport.department_id),
        Dimension("division", _l("Division"), WorkReport.division_id),
        Dimension("kind", _l("Kind"), WorkReport.kind),
        Dimension("month", _l("Month"), month(WorkReport.period_start)),
    ],
    measures=[
        Measure("reports", _l("Reports"), sa.func.count(), kind="count"),
        Measure("submitted", _l("Submitted"), _count_if(_submitted), kind="count"),
        Measure("reviewed", _l("Reviewed"), _count_if(WorkReport.state == "reviewed"),
                kind="count"),
        Measure("rate", _l("Submission rate (%)"), _percent(_count_if(_submitted),
                                                            sa.func.count()), kind="percent"),
    ],
    filters=[_mine], default_rows="owner", default_columns="month", chart="bar",
    chart_measure="rate", date_field=WorkReport.period_start, roles=SALES,
)

REPORTS = [visits, coverage, compliance, submission]
