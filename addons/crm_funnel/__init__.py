"""crm_funnel: Leads, opportunities, sales modes, quotes and the weighted forecast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_funnel import (
    access,
    closing,
    demo,
    forecast,
    importing,
    leads,
    models,
    pipeline,
    quotes,
    reports,
    targets,
    views,
)
from addons.crm_funnel.workbench import kehu_register_searchables, kehu_register_widgets  # noqa: F401  (hooks, #18)
from core.access import Access, RecordRule
from core.addons import Manifest
from core.context import Actor
from core.dataexchange import ImportCheck
from core.hookspecs import hookimpl
from core.i18n import _l
from core.jobs import Job
from core.models import Division
from core.navigation import Menu
from core.reports import Report
from core.seeding import LookupData
from core.workflow import ApprovalStep, Transition, Workflow
from core.workflow.models import TransitionLog

manifest = Manifest(
    name="crm_funnel",
    version="0.1.0",
    summary="Leads, opportunities, sales modes, quotes and the weighted forecast",
    # Visits are crm_team's (#17); the rep activity report counts them.
    depends=["crm_customer", "crm_team"],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return [models.SalesMode, models.Stage, models.LostReason,
            models.Opportunity, models.StageMove, models.DecisionMaker, models.DealCompetitor,
            models.DealPartner, models.Contract, models.ContractLine, models.LeadRule,
            models.Lead, models.Quote, models.QuoteLine, models.PriceHistory,
            models.FunnelSetting, models.ForecastSnapshot, models.SalesTarget, models.VisitDeal]


@hookimpl
def kehu_register_views() -> list[Any]:
    return [*views.VIEWS, *views.visit_views()]


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return views.MENUS


@hookimpl
def kehu_register_access() -> list[Access]:
    return access.ACCESS


@hookimpl
def kehu_register_record_rules() -> list[RecordRule]:
    return access.RULES


@hookimpl
def kehu_register_lookup_data() -> list[LookupData]:
    return pipeline.LOOKUPS


@hookimpl
def kehu_on_installed(session: Session, addon: str) -> None:
    """The two shipped sales modes, company-wide (stages need their mode's id, #14),
    and each division's funnel settings."""
    if addon != manifest.name:
        return
    pipeline.seed_sales_modes(session)
    for division_id in session.scalars(sa.select(Division.id)):
        pipeline.seed_settings(session, division_id)


@hookimpl
def kehu_register_workflows() -> list[Workflow]:
    return [quotes.QuoteFlow]


@hookimpl
def kehu_extra_approval_steps(session: Session, document: Any,
                              transition: Transition) -> list[ApprovalStep]:
    return quotes.extra_steps(session, document, transition)


@hookimpl
def kehu_on_transition(session: Session, document: Any, transition: Transition, actor: Actor,
                       log: TransitionLog) -> None:
    """A quote that leaves draft goes into the customer's price history."""
    if isinstance(document, models.Quote) and transition.name in ("confirm", "submit"):
        quotes.record_prices(session, document, actor)


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    """Leads are routed, deals follow their stage, drafts of quotes are totalled, targets checked."""
    leads.route_leads(session, records)
    pipeline.follow_stages(session, records, deleted)
    quotes.prepare_quotes(session, records)
    forecast.check_targets(records)
    targets.check_rollup(session, records)


@hookimpl
def kehu_prepare_import_rows(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    importing.prepare_rows(session, model, rows)


@hookimpl
def kehu_on_rows_imported(session: Session, model: type, written: sa.ColumnElement[bool]) -> None:
    if model is models.Opportunity:
        importing.write_history(session, written)


@hookimpl
def kehu_register_jobs() -> list[Job]:
    # Deadlines are days: every morning at 08:30 Beijing time; the forecast snapshot
    # on Mondays at 08:30 (schedules are UTC) (#20).
    return [Job("overdue_leads", _l("Flag overdue leads, return some to the pool"),
                leads.flag_overdue, schedule="30 0 * * *"),
            Job("forecast_snapshot", _l("Keep the weekly forecast snapshot"),
                forecast.take_snapshot, schedule="30 0 * * 1")]


@hookimpl
def kehu_extra_period_figures(session: Session, user_id: int, date_from: dt.date,
                              date_to: dt.date) -> list[tuple[str, Any]]:
    """crm_team's hook: a rep's deals moved and won and quotes made, for work reports (#17)."""
    from addons.crm_funnel import team

    return team.period_figures(session, user_id, date_from, date_to)


@hookimpl
def kehu_register_reports() -> list[Report]:
    return reports.REPORTS


@hookimpl
def kehu_register_import_checks() -> list[ImportCheck]:
    return importing.IMPORT_CHECKS


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.create_demo_funnel(session, divisions)


# crm_expense's hook (addons/crm_expense/hookspecs.py): optional, as crm_funnel does not
# depend on crm_expense; pluggy calls it only where crm_expense is installed. The deal an
# expense is for is the bridge crm_expense_funnel's.


@hookimpl(optionalhook=True)
def kehu_extra_won_amounts(session: Session, division_id: int, date_from: dt.date,
                           date_to: dt.date) -> list[tuple[int | None, int | None, Decimal]]:
    """What the contracts of won deals bring in a period (crm_expense's incentive accruals)."""
    return closing.won_amounts(session, division_id, date_from, date_to)
