"""The models of crm_customer: customers, contacts, lookup lists, service and the pool."""

from __future__ import annotations

from addons.crm_customer.models.competitor import Competitor
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
from addons.crm_customer.models.pool import POOL_RULE_KINDS, ClaimLimit, PoolClaim, PoolRule
from addons.crm_customer.models.service import (
    DUE_HOURS,
    TICKET_KINDS,
    TICKET_STATES,
    ProblemType,
    Ticket,
)

__all__ = [
    "DUE_HOURS",
    "POOL_RULE_KINDS",
    "TICKET_KINDS",
    "TICKET_STATES",
    "ClaimLimit",
    "Competitor",
    "PoolClaim",
    "PoolRule",
    "ProblemType",
    "Ticket",
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
