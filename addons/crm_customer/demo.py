"""Demo customers in Chinese for `kehu init --demo`."""

from __future__ import annotations

import random

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from core.models import Division

_CITIES = ["上海", "杭州", "南京", "苏州", "广州", "深圳", "成都", "武汉", "西安", "青岛"]
_STEMS = ["华信", "金桥", "东方", "长城", "宏达", "恒通", "新元", "瑞丰", "博远", "中科"]
_TRADES = ["机电设备", "电气自动化", "医药", "建筑设计院", "商贸", "信息技术", "化工", "物流"]
_FORMS = ["有限公司", "股份有限公司", "集团有限公司"]


def create_demo_customers(session: Session, divisions: list[Division], *, per_division: int = 40) -> None:
    """Add `per_division` customers to each division that has none yet."""
    rng = random.Random(20261124)
    for division in divisions:
        has_any = session.scalar(
            sa.select(sa.func.count()).select_from(Customer).where(Customer.division_id == division.id)
        )
        if has_any:
            continue
        rows = []
        for number in range(1, per_division + 1):
            name = f"{rng.choice(_CITIES)}{rng.choice(_STEMS)}{rng.choice(_TRADES)}{rng.choice(_FORMS)}"
            rows.append(
                {
                    "division_id": division.id,
                    "code": f"{division.code}-C{number:05d}",
                    "name": name,
                    "phone": f"0{rng.randint(20, 999)}-{rng.randint(10000000, 89999999)}",
                    "version": 1,
                }
            )
        session.execute(sa.insert(Customer), rows)
