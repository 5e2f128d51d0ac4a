"""crm_customer: the customer master (客户管理)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from addons.crm_customer import access, checks, views  # noqa: F401 - checks registers listeners
from addons.crm_customer.demo import create_demo_customers
from addons.crm_customer.lookup_data import lookup_data
from addons.crm_customer.models import (
    Contact,
    Customer,
    CustomerRelation,
    CustomerType,
    Industry,
    LeadSource,
    Product,
    ProductCategory,
)
from core.access import Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.models import Division
from core.navigation import Menu
from core.seeding import LookupData

manifest = Manifest(
    name="crm_customer",
    version="0.2.0",
    summary="Customer master: customers as company resources, contacts and service",
    depends=[],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return [Industry, LeadSource, CustomerType, ProductCategory, Product, Customer, Contact,
            CustomerRelation]


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
def kehu_register_lookup_data() -> list[LookupData]:
    return lookup_data()


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    create_demo_customers(session, divisions)
