"""Lookup data loaded per division at install: the expense types (费用类型).

Names are data in the users' language, as administrators keep them: pickers
search what people type (差旅), so they are not translated msgids. Limits are
per expense line, in yuan; an administrator may change or add types.
"""

from __future__ import annotations

from decimal import Decimal

from addons.crm_expense.models import ExpenseType
from core.seeding import LookupData

TYPES = [  # code (English), name, limit per line
    ("travel", "差旅费", None),
    ("entertainment", "招待费", Decimal("2000")),
    ("gifts", "礼品费", Decimal("1000")),
    ("transport", "交通费", None),
    ("meals", "餐费", Decimal("500")),
    ("conference", "会议费", None),
    ("other", "其他", None),
]

LOOKUP_DATA = [
    LookupData(ExpenseType, [
        {"code": code, "name": name, "limit_amount": limit, "active": True}
        for code, name, limit in TYPES
    ]),
]
