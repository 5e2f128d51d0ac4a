"""crm_channel: distributors, orders and returns, flow data and channel stock (渠道管理)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from addons.crm_channel import (
    access,
    demo,
    erp,
    pages,
    plans,
    reminders,
    reports,
    rules,
    views,
    workflows,
)
from addons.crm_channel.models import MODELS, ReturnRequest
from addons.crm_customer.models import Product
from core.access import Access, RecordRule
from core.addons import Manifest
from core.context import Actor
from core.dataexchange import ImportCheck
from core.hookspecs import hookimpl
from core.i18n import _l
from core.jobs import Job
from core.models import Division
from core.navigation import Menu
from core.org import seed_roles
from core.search import Searchable
from core.workflow import Transition, Workflow

manifest = Manifest(
    name="crm_channel",
    version="0.3.0",
    summary="Distributors, orders and returns, flow data and channel stock",
    depends=["crm_customer"],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def kehu_register_searchables() -> list[Searchable]:
    """Products by code, name and specification, with pinyin: the fast order entry finds
    them in the search index (and the global search of divisions with the channel)."""
    return [Searchable(Product, fields=[Product.code, Product.name, Product.spec],
                       detail=[Product.code, Product.spec])]


@hookimpl
def kehu_register_workflows() -> list[Workflow]:
    return workflows.WORKFLOWS


@hookimpl
def kehu_register_views() -> list[Any]:
    return views.views()


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
def kehu_register_routes() -> list[BaseRoute]:
    return pages.ROUTES


@hookimpl
def kehu_register_reports() -> list[Any]:
    return reports.reports()


@hookimpl
def kehu_register_import_checks() -> list[ImportCheck]:
    return plans.IMPORT_CHECKS


@hookimpl
def kehu_register_jobs() -> list[Job]:
    # Daily at 09:00 Beijing time (schedules are UTC) (#20).
    return [Job("crm_channel.agreement_expiry", _l("Remind owners of agreements about to end"),
                reminders.remind_expiring, schedule="0 1 * * *")]


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    rules.prepare(session, records, deleted)


@hookimpl
def kehu_on_transition(session: Session, document: Any, transition: Transition,
                       actor: Actor) -> None:
    """A return the ERP processed counts on its order's lines."""
    if isinstance(document, ReturnRequest) and transition.name == "process":
        erp.count_returned(session, document)


@hookimpl
def kehu_on_installed(session: Session, addon: str) -> None:
    """The ERP's integration role exists in databases made before it shipped."""
    if addon == "crm_channel":
        seed_roles(session)


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.create_demo_channel(session, divisions)
