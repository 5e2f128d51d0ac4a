"""Lookup data loaded once, company-wide, at install: campaign categories and cost types
(#14: a division may add its own entries and hide these).

Names are data in the users' language, as administrators keep them (pickers
search what people type), so they are not translated msgids. A category's
threshold is the budget above which the general manager approves too (yuan).
"""

from __future__ import annotations

from decimal import Decimal

from addons.crm_marketing.models import CampaignCategory, CampaignCostType
from core.seeding import LookupData

CATEGORIES = [  # code, name, general manager above
    ("trade_show", "展会", Decimal("100000")),
    ("seminar", "技术研讨会", Decimal("50000")),
    ("academic", "学术会议", Decimal("50000")),
    ("store", "门店促销", Decimal("30000")),
    ("online", "线上推广", Decimal("30000")),
    ("customer_event", "客户答谢会", Decimal("50000")),
]
COST_TYPES = [
    ("venue", "场地费"), ("travel", "差旅费"), ("materials", "物料费"), ("gifts", "礼品费"),
    ("advertising", "广告费"), ("speaker", "讲课费"), ("catering", "餐饮费"), ("other", "其他"),
]

LOOKUP_DATA = [
    LookupData(CampaignCategory, [{"code": code, "name": name, "gm_threshold": threshold,
                                   "active": True} for code, name, threshold in CATEGORIES]),
    LookupData(CampaignCostType, [{"code": code, "name": name, "active": True}
                                  for code, name in COST_TYPES]),
]
