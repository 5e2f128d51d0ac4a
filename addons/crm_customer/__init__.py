"""crm_customer: the customer master (客户管理)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from addons.crm_customer import access, checks, reports, tickets, views, workflows  # noqa: F401
from addons.crm_customer.demo import create_demo_customers
from addons.crm_customer.lookup_data import lookup_data
from addons.crm_customer.models import (
    ClaimLimit,
    Competitor,
    Contact,
    Customer,
    CustomerRelation,
    CustomerType,
    Industry,
    LeadSource,
    PoolClaim,
    PoolRule,
    ProblemType,
    Product,
    ProductCategory,
    Ticket,
)
from addons.crm_customer.pool import return_to_pool
from addons.crm_customer.workbench import kehu_register_searchables  # noqa: F401  (hooks, #18)
from core.access import Access, RecordRule
from core.addons import Manifest
from core.dataexchange import ImportCheck
from core.hookspecs import hookimpl
from core.i18n import _l
from core.jobs import Job
from core.models import Division
from core.navigation import Menu
from core.seeding import LookupData
from core.workflow import Workflow

manifest = Manifest(
    name="crm_customer",
    version="0.3.0",
    summary="Customer master: customers as company resources, contacts and service",
    depends=[],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return [Industry, LeadSource, CustomerType, ProductCategory, Product, Customer, Contact,
            CustomerRelation, ProblemType, Ticket, PoolRule, ClaimLimit, PoolClaim,
            Competitor]


@hookimpl
def kehu_register_views() -> list[Any]:
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
def kehu_register_workflows() -> list[Workflow]:
    return workflows.WORKFLOWS


@hookimpl
def kehu_register_jobs() -> list[Job]:
    # Daily at 02:00 Beijing time (schedules are UTC), after the day's work (#20).
    return [Job("crm_customer.pool_return", _l("Return customers to the public pool"),
                return_to_pool, schedule="0 18 * * *")]


@hookimpl
def kehu_register_reports() -> list[Any]:
    return reports.REPORTS


@hookimpl
def kehu_register_import_checks() -> list[ImportCheck]:
    return checks.IMPORT_CHECKS


@hookimpl
def kehu_register_lookup_data() -> list[LookupData]:
    return lookup_data()


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any]) -> None:
    checks.check_records(session, records)
    tickets.prepare_tickets(session, records)


@hookimpl
def kehu_prepare_import_rows(model: type, rows: list[dict[str, Any]]) -> None:
    if model is Ticket:
        tickets.prepare_imported_tickets(rows)


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    create_demo_customers(session, divisions)
