"""The funnel's reports, declared for the kernel's report engine (core.reports).

Each is one SQL aggregation under the reader's record rules (a rep's forecast
counts only the deals the rep may see), shown at /r/<key> with a chart and
exported to XLSX there.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_customer.models import Customer, Industry
from addons.crm_funnel.models import (
    APPROVED,
    LOST,
    OPEN,
    WON,
    Contract,
    ForecastSnapshot,
    Opportunity,
    Quote,
    SalesMode,
    SalesTarget,
    Stage,
    StageMove,
    Visit,
)
from addons.crm_team.models import DONE
from core.context import Actor
from core.i18n import _l
from core.models import Department
from core.org import GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP
from core.reports import Dimension, Measure, Report, month, quarter
from core.views import Filter

MANAGERS = (SALES_MANAGER, GENERAL_MANAGER, MARKETING)
SALES = (SALES_REP, *MANAGERS)


def _fen(column: object) -> sa.ColumnElement[int]:
    """A Money column as its stored integer fen (the engine reads money measures in fen)."""
    return sa.type_coerce(column, sa.BigInteger)


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _percent(part: sa.ColumnElement[int], whole: sa.ColumnElement[int]) -> sa.ColumnElement[Any]:
    return 100.0 * part / sa.func.nullif(whole, 0)


def _industry_of(customer_key: object) -> sa.ScalarSelect[str]:
    return (sa.select(Industry.name).join(Customer, Customer.industry_id == Industry.id)
            .where(Customer.id == customer_key).scalar_subquery())


def _open(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Opportunity.state == OPEN


def _mine(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Opportunity.owner_id == actor.user_id


def _in_mode(code: str) -> Filter:
    """Deals of the shipped sales mode `code` (each division has its own copy)."""
    label = {"si_supply": _l("SI supply only"), "project_sale": _l("Project sale only")}[code]
    return Filter(code, label, lambda model, actor: Opportunity.sales_mode_id.in_(
        sa.select(SalesMode.id).where(SalesMode.code == code)))


DEAL_FILTERS = [Filter("mine", _l("My opportunities"), _mine), _in_mode("si_supply"),
                _in_mode("project_sale")]


WEIGHTED = Measure("weighted", _l("Weighted forecast"),
                   sa.func.sum(_fen(Opportunity.amount) * Opportunity.probability) / 100,
                   kind="money")
PIPELINE = Measure("amount", _l("Amount"), sa.func.sum(_fen(Opportunity.amount)), kind="money")
DEALS = Measure("count", _l("Opportunities"), sa.func.count(), kind="count")


def _deal_dimensions() -> list[Dimension]:
    return [
        Dimension("month", _l("Month"), month(Opportunity.expected_close)),
        Dimension("quarter", _l("Quarter"), quarter(Opportunity.expected_close)),
        Dimension("stage", _l("Stage"), Opportunity.stage_id),
        Dimension("sales_mode", _l("Sales mode"), Opportunity.sales_mode_id),
        Dimension("owner", _l("Sales rep"), Opportunity.owner_id),
        Dimension("department", _l("Department"), Opportunity.department_id),
        Dimension("region", _l("Region"), Opportunity.region_id),
        Dimension("industry", _l("Industry"), _industry_of(Opportunity.customer_id)),
        Dimension("product_line", _l("Product line"), Opportunity.product_line_id),
    ]


funnel = Report(
    key="funnel_stages", label=_l("Sales funnel"), model=Opportunity,
    description=_l("Open opportunities by stage: how many, how much, weighted by win probability."),
    dimensions=_deal_dimensions(), measures=[DEALS, PIPELINE, WEIGHTED],
    # One funnel per sales mode, never two modes' stages in one hourglass (#14).
    default_rows="stage", default_columns="sales_mode", chart="funnel", chart_measure="amount",
    where=_open, date_field=Opportunity.expected_close, filters=DEAL_FILTERS, roles=SALES,
)

forecast = Report(
    key="weighted_forecast", label=_l("Weighted forecast"), model=Opportunity,
    description=_l("Sum of amount × win probability of open opportunities, by closing month."),
    dimensions=_deal_dimensions(), measures=[WEIGHTED, PIPELINE, DEALS],
    default_rows="month", default_columns="owner", chart="line",
    where=_open, date_field=Opportunity.expected_close, filters=DEAL_FILTERS, roles=SALES,
)

_closed = Opportunity.state.in_((WON, LOST))
win_loss = Report(
    key="win_loss", label=_l("Win / loss analysis"), model=Opportunity,
    description=_l("Closed opportunities: won and lost, why they were lost and to whom."),
    dimensions=[
        Dimension("reason", _l("Lost reason"), Opportunity.lost_reason_id),
        Dimension("competitor", _l("Competitor that won"), Opportunity.won_competitor_id),
        Dimension("state", _l("Outcome"), Opportunity.state),
        Dimension("closed_month", _l("Month closed"), month(Opportunity.closed_on)),
        *[d for d in _deal_dimensions() if d.key not in ("month", "quarter")],
    ],
    measures=[
        DEALS,
        Measure("won", _l("Won"), _count_if(Opportunity.state == WON), kind="count"),
        Measure("lost", _l("Lost"), _count_if(Opportunity.state == LOST), kind="count"),
        Measure("win_rate", _l("Win rate"), _percent(_count_if(Opportunity.state == WON),
                                                     sa.func.count()), kind="percent"),
        Measure("lost_amount", _l("Amount lost"),
                sa.func.sum(sa.case((Opportunity.state == LOST, _fen(Opportunity.amount)),
                                    else_=0)), kind="money"),
    ],
    default_rows="reason", chart="bar", chart_measure="lost",
    where=lambda model, actor: _closed, date_field=Opportunity.closed_on, roles=SALES,
)

# Stage-to-stage conversion: of the deals that entered a stage, how many went on
# to a later stage of the same mode (skipping counts as going on).
# Plain table aliases: the inner rows only test what happened to a deal the outer
# row already shows, and ORM aliases would each get the record rules again.
_here = Stage.__table__.alias("here")
_later_move = StageMove.__table__.alias("later_move")
_later_stage = Stage.__table__.alias("later_stage")
_went_on = sa.exists(
    sa.select(_later_move.c.id)
    .join(_later_stage, _later_stage.c.id == _later_move.c.to_stage_id)
    .where(_later_move.c.opportunity_id == StageMove.opportunity_id,
           _here.c.id == StageMove.to_stage_id,
           _later_stage.c.sequence > _here.c.sequence))
_entered = sa.func.count(sa.distinct(StageMove.opportunity_id))
_advanced = sa.func.count(sa.distinct(sa.case((_went_on, StageMove.opportunity_id))))
conversion = Report(
    key="stage_conversion", label=_l("Stage conversion"), model=StageMove,
    description=_l("Of the opportunities that reached a stage, the share that went further."),
    dimensions=[
        Dimension("stage", _l("Stage"), StageMove.to_stage_id),
        Dimension("month", _l("Month"), month(StageMove.moved_at)),
        Dimension("user", _l("Moved by"), StageMove.user_id),
    ],
    measures=[
        Measure("entered", _l("Reached the stage"), _entered, kind="count"),
        Measure("advanced", _l("Went further"), _advanced, kind="count"),
        Measure("rate", _l("Conversion rate"), _percent(_advanced, _entered), kind="percent"),
    ],
    default_rows="stage", chart="bar", chart_measure="rate",
    date_field=StageMove.moved_at, roles=SALES,
)

process = Report(
    key="rep_activity", label=_l("Rep activity"), model=Visit,
    description=_l("Visits, meetings with decision makers and calls per rep and period."),
    dimensions=[
        Dimension("owner", _l("Sales rep"), Visit.owner_id),
        Dimension("department", _l("Department"), Visit.department_id),
        Dimension("month", _l("Month"), month(Visit.visited_on)),
        Dimension("quarter", _l("Quarter"), quarter(Visit.visited_on)),
        Dimension("kind", _l("Kind"), Visit.kind),
    ],
    measures=[
        Measure("visits", _l("Visits"), _count_if(Visit.kind == "visit"), kind="count"),
        Measure("decision_makers", _l("Meetings with decision makers"),
                _count_if(Visit.met_decision_maker.is_(True)),
                kind="count"),
        Measure("calls", _l("Calls"), _count_if(Visit.kind == "call"), kind="count"),
        Measure("all", _l("All contacts"), sa.func.count(), kind="count"),
    ],
    default_rows="owner", default_columns="month", chart="bar",
    # Visits are crm_team's (#17): planned or cancelled ones are not contacts yet.
    where=lambda model, actor: Visit.state == DONE,
    date_field=Visit.visited_on, roles=SALES,
)

quotes = Report(
    key="rep_quotes", label=_l("Quotes per rep"), model=Quote,
    description=_l("Quotes made per rep and period, their value and how many needed approval."),
    dimensions=[
        Dimension("owner", _l("Sales rep"), Quote.owner_id),
        Dimension("department", _l("Department"), Quote.department_id),
        Dimension("month", _l("Month"), month(Quote.quote_date)),
        Dimension("quarter", _l("Quarter"), quarter(Quote.quote_date)),
        Dimension("state", _l("Status"), Quote.state),
    ],
    measures=[
        Measure("count", _l("Quotes"), sa.func.count(), kind="count"),
        Measure("total", _l("Quoted"), sa.func.sum(_fen(Quote.total)), kind="money"),
        Measure("approved", _l("Approved"), _count_if(Quote.state == APPROVED), kind="count"),
        Measure("protected", _l("Needed approval"),
                _count_if(Quote.approval_reason.is_not(None)), kind="count"),
    ],
    default_rows="owner", default_columns="month", chart="bar",
    date_field=Quote.quote_date, roles=SALES,
)

# Target achievement: won = contracts signed in the target's period by its rep,
# or by anyone placed in its department's subtree.
_scope = Department.__table__.alias("scope")
_won = (
    sa.select(sa.func.coalesce(sa.func.sum(_fen(Contract.amount)), 0))
    .where(Contract.signed_on >= SalesTarget.period_start,
           Contract.signed_on <= SalesTarget.period_end,
           sa.or_(
               sa.and_(SalesTarget.user_id.is_not(None), Contract.owner_id == SalesTarget.user_id),
               sa.and_(SalesTarget.user_id.is_(None), Contract.department_id.in_(
                   sa.select(Department.id).where(Department.path.startswith(
                       sa.select(_scope.c.path).where(_scope.c.id == SalesTarget.department_id)
                       .scalar_subquery()))))))
    .scalar_subquery())
targets = Report(
    key="target_achievement", label=_l("Target achievement"), model=SalesTarget,
    description=_l("Sales targets against the amounts of the contracts signed in their period."),
    dimensions=[
        Dimension("department", _l("Department"), SalesTarget.department_id),
        Dimension("user", _l("Sales rep"), SalesTarget.user_id),
        Dimension("quarter", _l("Quarter"), quarter(SalesTarget.period_start)),
        Dimension("month", _l("Month"), month(SalesTarget.period_start)),
    ],
    measures=[
        Measure("target", _l("Target"), sa.func.sum(_fen(SalesTarget.amount)), kind="money"),
        Measure("won", _l("Won"), sa.func.sum(_won), kind="money"),
        Measure("achievement", _l("Achievement"),
                _percent(sa.func.sum(_won), sa.func.sum(_fen(SalesTarget.amount))),
                kind="percent"),
    ],
    default_rows="user", default_columns="quarter", chart="bar",
    filters=[Filter("reps", _l("Reps' targets"),
                    lambda model, actor: SalesTarget.user_id.is_not(None)),
             Filter("departments", _l("Departments' targets"),
                    lambda model, actor: SalesTarget.user_id.is_(None))],
    date_field=SalesTarget.period_start, roles=SALES,
)

# Forecast accuracy: the last snapshot taken before a month began, against the
# contracts the same owner signed in that month.
_earlier = ForecastSnapshot.__table__.alias("earlier")
_last_before = (sa.select(sa.func.max(_earlier.c.taken_on))
                .where(_earlier.c.division_id == ForecastSnapshot.division_id,
                       _earlier.c.taken_on <= ForecastSnapshot.month).scalar_subquery())
_won_in_month = (
    sa.select(sa.func.coalesce(sa.func.sum(_fen(Contract.amount)), 0))
    .where(Contract.owner_id == ForecastSnapshot.owner_id,
           month(Contract.signed_on) == month(ForecastSnapshot.month))
    .scalar_subquery())
accuracy = Report(
    key="forecast_accuracy", label=_l("Forecast accuracy"), model=ForecastSnapshot,
    description=_l("The weighted forecast made before each month against what was won in it."),
    dimensions=[
        Dimension("owner", _l("Sales rep"), ForecastSnapshot.owner_id),
        Dimension("department", _l("Department"), ForecastSnapshot.department_id),
        Dimension("month", _l("Closing month"), month(ForecastSnapshot.month)),
    ],
    measures=[
        Measure("forecast", _l("Weighted forecast"), sa.func.sum(_fen(ForecastSnapshot.weighted)),
                kind="money"),
        Measure("won", _l("Won"), sa.func.sum(_won_in_month), kind="money"),
        Measure("accuracy", _l("Won / forecast"),
                _percent(sa.func.sum(_won_in_month), sa.func.sum(_fen(ForecastSnapshot.weighted))),
                kind="percent"),
    ],
    default_rows="owner", default_columns="month", chart="bar",
    where=lambda model, actor: ForecastSnapshot.taken_on == _last_before,
    date_field=ForecastSnapshot.month, roles=SALES,
)

REPORTS = [funnel, forecast, win_loss, conversion, process, quotes, targets, accuracy]
