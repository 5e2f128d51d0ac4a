"""Who may do what with customers, and which customers each role sees (有限共享)."""

from __future__ import annotations

import sqlalchemy as sa

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
from core.access import DEPARTMENT, DIVISION, OWN, PRODUCT_LINES, REGIONS, Access, RecordRule, Scope
from core.access.policy import current_policy
from core.context import Actor
from core.i18n import _l
from core.org import ALL_STAFF, FINANCE, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP, SERVICE

Expression = sa.ColumnElement[bool]


def _unplaced_pool(model: type, actor: Actor) -> Expression:
    """Customers in the public pool (公海) that name no region: every rep may claim them."""
    return sa.and_(Customer.owner_id.is_(None), Customer.region_id.is_(None))


def _of_visible_customers(model: type, actor: Actor) -> Expression:
    """Rows whose customer the actor may see, by the customer's own rules.

    The customers' rules are built into the condition here: the kernel adds
    rules for the models a statement names, and this subquery is added later.
    """
    customers = sa.select(Customer.id)
    policy = current_policy()
    condition = policy.criteria(actor, Customer) if policy is not None else None
    if condition is not None:
        customers = customers.where(condition)
    return model.customer_id.in_(customers.scalar_subquery())  # type: ignore[attr-defined]


UNPLACED_POOL = Scope(_l("customers in the pool without a region"), _unplaced_pool)
OF_VISIBLE_CUSTOMERS = Scope(_l("rows of the customers they see"), _of_visible_customers)

LOOKUPS = (Industry, LeadSource, CustomerType, ProductCategory, Product)

ACCESS = [
    Access(Customer, SALES_REP, read=True, create=True, write=True),
    Access(Customer, SALES_MANAGER, read=True, create=True, write=True, delete=True),
    Access(Customer, GENERAL_MANAGER, read=True, write=True),
    Access(Customer, (MARKETING, FINANCE, SERVICE), read=True),
    Access(Contact, (SALES_REP, SERVICE), read=True, create=True, write=True),
    Access(Contact, SALES_MANAGER, read=True, create=True, write=True, delete=True),
    Access(Contact, (GENERAL_MANAGER, MARKETING, FINANCE), read=True),
    Access(CustomerRelation, (SALES_REP, SALES_MANAGER), read=True, create=True, write=True,
           delete=True),
    Access(CustomerRelation, (GENERAL_MANAGER, MARKETING, FINANCE, SERVICE), read=True),
    # Lookup lists: everybody reads them, administrators (all rights) edit them.
    *[Access(model, ALL_STAFF, read=True) for model in LOOKUPS],
]

RULES = [
    # A rep sees their own customers and those of their regions (within their
    # product lines, when both sides name one), and the pool without a region.
    RecordRule(Customer, SALES_REP, OWN | (REGIONS & PRODUCT_LINES) | UNPLACED_POOL),
    # A manager sees the department subtree they manage and their regions.
    RecordRule(Customer, SALES_MANAGER, DEPARTMENT | REGIONS),
    RecordRule(Customer, (GENERAL_MANAGER, MARKETING, FINANCE, SERVICE), DIVISION),
    # A contact is visible when its customer is.
    RecordRule(Contact, ALL_STAFF, OF_VISIBLE_CUSTOMERS),
    RecordRule(CustomerRelation, ALL_STAFF, OF_VISIBLE_CUSTOMERS),
]
