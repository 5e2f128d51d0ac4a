"""crm_expense: expense requests, reimbursement claims, vouchers, analysis and accruals (费用管理)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from addons.crm_expense import (
    access,
    accruals,
    data,
    demo,
    pages,
    reports,
    rules,
    views,
    workflows,
)
from addons.crm_expense.models import MODELS
from addons.crm_expense.workbench import kehu_register_searchables, kehu_register_widgets  # noqa: F401  (hooks, #18)
from core.access import Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.i18n import _l
from core.jobs import Job
from core.models import Division
from core.navigation import Menu
from core.seeding import LookupData
from core.views import View
from core.workflow import Workflow

manifest = Manifest(
    name="crm_expense",
    version="0.1.0",
    summary="Expense requests, reimbursement claims and expense analysis",
    depends=["crm_customer"],
    category="Sales",
    # Hooks crm_funnel, crm_marketing and the bridge crm_expense_funnel answer (hookspecs.py).
    hookspecs="hookspecs",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def kehu_register_workflows() -> list[Workflow]:
    return workflows.WORKFLOWS


@hookimpl
def kehu_register_views() -> list[View]:
    return views.VIEWS


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
    return data.LOOKUP_DATA


@hookimpl
def kehu_register_routes() -> list[BaseRoute]:
    return pages.ROUTES


@hookimpl
def kehu_register_reports() -> list[Any]:
    return reports.reports()


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.create_demo_expenses(session, divisions)


@hookimpl
def kehu_register_jobs() -> list[Job]:
    # Monthly, on the 1st at 08:30 Beijing time (00:30 UTC: the UTC date is the 1st,
    # so "the month just ended" is the right one) (#20).
    return [Job("expense_accruals", _l("Accrue incentives for the month just ended"),
                accruals.accrue_last_month, schedule="30 0 1 * *")]


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    rules.prepare(session, records, deleted)
