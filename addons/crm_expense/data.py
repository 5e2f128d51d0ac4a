"""Lookup data loaded per division at install: the expense types (费用类型)."""

from __future__ import annotations

from decimal import Decimal

from addons.crm_expense.models import ExpenseType
from core.i18n import _l
from core.seeding import LookupData

# Names are msgids, shown translated (差旅费...); limits are per expense line, in yuan.
TYPES = [
    ("travel", _l("Travel"), None),
    ("entertainment", _l("Entertainment"), Decimal("2000")),
    ("gifts", _l("Gifts"), Decimal("1000")),
    ("transport", _l("Transport"), None),
    ("meals", _l("Meals"), Decimal("500")),
    ("conference", _l("Conference"), None),
    ("other", _l("Other expenses"), None),
]

LOOKUP_DATA = [
    LookupData(ExpenseType, [
        {"code": code, "name": label.message, "limit_amount": limit, "active": True}
        for code, label, limit in TYPES
    ]),
]
