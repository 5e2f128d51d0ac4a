"""Who may do what with customers, and which customers each role sees (有限共享)."""

from __future__ import annotations

import sqlalchemy as sa

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
from core.access import (
    DEPARTMENT,
    DIVISION,
    OWN,
    PRODUCT_LINES,
    REGIONS,
    Access,
    RecordRule,
    Scope,
    via,
)
from core.context import Actor
from core.i18n import _l
from core.org import ALL_STAFF, FINANCE, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP, SERVICE

Expression = sa.ColumnElement[bool]


def _unplaced_pool(model: type, actor: Actor) -> Expression:
    """Customers in the public pool (公海) that name no region (a manager assigns them)."""
    return sa.and_(Customer.owner_id.is_(None), Customer.region_id.is_(None))


UNPLACED_POOL = Scope(_l("customers in the pool without a region"), _unplaced_pool)

LOOKUPS = (Industry, LeadSource, CustomerType, ProductCategory, Product, ProblemType)

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
    # Service tickets: service staff handle them, sales file and follow them.
    Access(Ticket, (SERVICE, SALES_REP), read=True, create=True, write=True),
    Access(Ticket, SALES_MANAGER, read=True, create=True, write=True, delete=True),
    Access(Ticket, (GENERAL_MANAGER, MARKETING), read=True),
    # Lookup lists: everybody reads them, administrators (all rights) edit them.
    *[Access(model, ALL_STAFF, read=True) for model in LOOKUPS],
    Access(PoolRule, (SALES_MANAGER, GENERAL_MANAGER), read=True),
    Access(ClaimLimit, (SALES_REP, SALES_MANAGER, GENERAL_MANAGER), read=True),
    Access(PoolClaim, (SALES_REP, SALES_MANAGER), read=True, create=True),
    Access(PoolClaim, GENERAL_MANAGER, read=True),
    # The competitor master (#16): sales and marketing keep it, the others read it.
    Access(Competitor, (SALES_REP, SALES_MANAGER, MARKETING), read=True, create=True,
           write=True),
    Access(Competitor, (GENERAL_MANAGER, FINANCE, SERVICE), read=True),
]

RULES = [
    # A rep sees their own customers and those of their regions (within their
    # product lines, when both sides name one): the pool customers there too.
    RecordRule(Customer, SALES_REP, OWN | (REGIONS & PRODUCT_LINES)),
    # A manager sees the department subtree they manage and their regions (the pool
    # customers there too, to assign them), and the pool without a region.
    RecordRule(Customer, SALES_MANAGER, DEPARTMENT | REGIONS | UNPLACED_POOL),
    RecordRule(Customer, (GENERAL_MANAGER, MARKETING, FINANCE, SERVICE), DIVISION),
    # A contact is visible when its customer is.
    RecordRule(Contact, ALL_STAFF, via(Contact.customer_id)),
    RecordRule(CustomerRelation, ALL_STAFF, via(CustomerRelation.customer_id)),
    RecordRule(Ticket, (SERVICE, GENERAL_MANAGER, MARKETING), DIVISION),
    RecordRule(Ticket, (SALES_REP, SALES_MANAGER), via(Ticket.customer_id)),
    RecordRule(PoolClaim, SALES_REP, OWN),
    RecordRule(PoolClaim, SALES_MANAGER, DEPARTMENT),
    RecordRule(PoolClaim, GENERAL_MANAGER, DIVISION),
]
