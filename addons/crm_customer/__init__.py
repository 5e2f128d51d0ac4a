"""crm_customer: the customer master (客户管理)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from addons.crm_customer import access, views
from addons.crm_customer.demo import create_demo_customers
from addons.crm_customer.models import Customer
from core.access import Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.navigation import Menu
from core.views import View
from core.models import Division

manifest = Manifest(
    name="crm_customer",
    version="0.1.0",
    summary="Customer master: customers as company resources, contacts and service",
    depends=[],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return [Customer]


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
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    create_demo_customers(session, divisions)
