"""Demo customers in Chinese for `kehu init --demo`, placed with the demo reps."""

from __future__ import annotations

import random

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from core.models import Division, Region, User, user_role

_STEMS = ["华信", "金桥", "东方", "长城", "宏达", "恒通", "新元", "瑞丰", "博远", "中科", "天成", "永盛"]
_TRADES = ["机电设备", "电气自动化", "医药", "建筑设计院", "商贸", "信息技术", "化工", "物流", "医疗器械"]
_FORMS = ["有限公司", "股份有限公司", "集团有限公司"]


def _reps(session: Session, division: Division) -> list[User]:
    return list(
        session.scalars(
            sa.select(User)
            .join(user_role, user_role.c.user_id == User.id)
            .where(User.division_id == division.id, user_role.c.role == "sales_rep")
            .order_by(User.id)
        )
    )


def _cities(session: Session, province: Region) -> list[Region]:
    return list(session.scalars(sa.select(Region).where(Region.parent_id == province.id)))


def create_demo_customers(session: Session, divisions: list[Division], *,
                          per_division: int = 40) -> None:
    """Add `per_division` customers to each division that has none yet.

    Most belong to a rep and sit in one of the rep's provinces; one in eight
    has no owner yet.
    """
    rng = random.Random(20261124)
    for division in divisions:
        has_any = session.scalar(
            sa.select(sa.func.count()).select_from(Customer).where(Customer.division_id == division.id)
        )
        if has_any:
            continue
        reps = _reps(session, division)
        rows = []
        for number in range(1, per_division + 1):
            rep = reps[number % len(reps)] if reps and number % 8 else None
            province = rep.regions[0] if rep is not None and rep.regions else None
            cities = _cities(session, province) if province is not None else []
            city = rng.choice(cities) if cities else province
            place = city.name if city is not None else rng.choice(["上海", "杭州", "南京"])
            name = f"{place[:2]}{rng.choice(_STEMS)}{rng.choice(_TRADES)}{rng.choice(_FORMS)}"
            rows.append(
                {
                    "division_id": division.id,
                    "code": f"{division.code}-C{number:05d}",
                    "name": name,
                    "phone": f"0{rng.randint(20, 999)}-{rng.randint(10000000, 89999999)}",
                    "owner_id": rep.id if rep is not None else None,
                    "department_id": rep.department_id if rep is not None else None,
                    "region_id": city.id if city is not None else None,
                    "product_line_id": rep.product_lines[0].id
                    if rep is not None and rep.product_lines else None,
                    "level": rng.choice("AABBBCCCCD"),
                    "status": rng.choice(["to_identify", "prospect", "prospect", "opportunity",
                                          "formal", "formal", "formal", "lost"]),
                    "version": 1,
                }
            )
        session.execute(sa.insert(Customer), rows)
