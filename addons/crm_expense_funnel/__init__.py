"""crm_expense_funnel: the deal an expense is for — the bridge between crm_expense and
crm_funnel (#21). The deal on requests and claim lines (a real reference), the
expenses on the deal's page and the project expense report."""

from __future__ import annotations

from sqlalchemy.orm import Session

from addons.crm_expense.models import ExpenseBudget, ExpenseClaimLine
from addons.crm_expense_funnel import deals, demo, reports, views
from addons.crm_expense_funnel.models import MODELS
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.models import Division
from core.reports import Report
from core.views import View

manifest = Manifest(
    name="crm_expense_funnel",
    version="0.1.0",
    summary="The deal an expense request or claim line is for, and expenses per deal",
    depends=["crm_expense", "crm_funnel"],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def kehu_register_views() -> list[View]:
    return views.views()


@hookimpl
def kehu_register_reports() -> list[Report]:
    return reports.reports()


@hookimpl
def kehu_extra_expense_targets(
    session: Session, records: list[ExpenseBudget | ExpenseClaimLine]
) -> list[tuple[ExpenseBudget | ExpenseClaimLine, str]]:
    """crm_expense's hook: the deal each request or claim line is for."""
    return deals.targets(session, records)


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.link_demo_expenses(session, divisions)
