"""Who may do what with customers, and which customers each role sees (有限共享)."""

from __future__ import annotations

from addons.crm_customer.models import Customer
from core.access import DEPARTMENT, DIVISION, OWN, PRODUCT_LINES, REGIONS, Access, RecordRule
from core.org import FINANCE, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP, SERVICE

ACCESS = [
    Access(Customer, SALES_REP, read=True, create=True, write=True),
    Access(Customer, SALES_MANAGER, read=True, create=True, write=True, delete=True),
    Access(Customer, GENERAL_MANAGER, read=True, write=True),
    Access(Customer, (MARKETING, FINANCE, SERVICE), read=True),
]

RULES = [
    # A rep sees their own customers and those of their regions (within their
    # product lines, when both sides name one).
    RecordRule(Customer, SALES_REP, OWN | (REGIONS & PRODUCT_LINES)),
    # A manager sees the department subtree they manage and their regions.
    RecordRule(Customer, SALES_MANAGER, DEPARTMENT | REGIONS),
    RecordRule(Customer, (GENERAL_MANAGER, MARKETING, FINANCE, SERVICE), DIVISION),
]
