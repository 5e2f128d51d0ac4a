"""The models of crm_customer: customers, contacts, lookup lists, service and the pool."""

from __future__ import annotations

from addons.crm_customer.models.customer import (
    DECISION_ROLES,
    LEVELS,
    RELATION_KINDS,
    STATUSES,
    TRADES,
    Contact,
    Customer,
    CustomerRelation,
    split_aliases,
)
from addons.crm_customer.models.lookups import (
    CustomerType,
    Industry,
    LeadSource,
    Product,
    ProductCategory,
)

__all__ = [
    "DECISION_ROLES",
    "LEVELS",
    "RELATION_KINDS",
    "STATUSES",
    "TRADES",
    "Contact",
    "Customer",
    "CustomerRelation",
    "CustomerType",
    "Industry",
    "LeadSource",
    "Product",
    "ProductCategory",
    "split_aliases",
]
