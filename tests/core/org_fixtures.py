"""A small organisation in two divisions, for access tests (pages, API, ORM)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from core.auth.passwords import hash_password
from core.context import Actor, system_context
from core.kernel import Kernel
from core.models import Division, Region, Role, User
from core.org import actor_for, add_department, product_line

PASSWORD = "测试-Password-1"


@dataclass
class Org:
    """Ids of the users and customers the tests talk about."""

    users: dict[str, int]
    customers: dict[str, int]
    divisions: dict[str, int]

    def actor(self, kernel: Kernel, login: str) -> Actor:
        with system_context(), kernel.session() as session:
            return actor_for(session, session.get(User, self.users[login]))


def _region(session: Session, code: str) -> Region:
    region = session.scalar(sa.select(Region).where(Region.code == code))
    assert region is not None, code
    return region


def build_org(kernel: Kernel) -> Org:
    """EAST: 销售部 (manager mgr) ⊃ 销售一组 (reps li.na 江苏, wang.qiang 浙江)."""
    with system_context(), kernel.sessions.begin() as session:
        divisions = {d.code: d for d in session.scalars(sa.select(Division))}
        east, hq = divisions["EAST"], divisions["HQ"]
        roles = {r.code: r for r in session.scalars(sa.select(Role))}
        line = product_line(session, "PL-AUTO", "工业自动化")
        sales = add_department(session, division=east, code="S", name="销售部")
        team = add_department(session, division=east, code="S1", name="销售一组", parent=sales)
        other = add_department(session, division=east, code="S2", name="销售二组", parent=sales)
        people = {
            "li.na": (east, team, ["sales_rep"], ["320000"]),
            "wang.qiang": (east, team, ["sales_rep"], ["330000"]),
            "zhao.min": (east, other, ["sales_rep"], []),
            "mgr": (east, sales, ["sales_manager"], []),
            "gm.east": (east, None, ["general_manager"], []),
            "fin": (east, None, ["finance"], []),
            "svc": (east, None, ["service"], []),
            "mkt": (east, None, ["marketing"], []),
            "gm.hq": (hq, None, ["general_manager"], []),
        }
        users = {}
        for login, (division, department, role_codes, regions) in people.items():
            user = User(login=login, name=login, division_id=division.id,
                        department_id=department.id if department else None,
                        password_hash=hash_password(PASSWORD))
            user.roles = [roles[code] for code in role_codes]
            user.regions = [_region(session, code) for code in regions]
            session.add(user)
            session.flush()
            users[login] = user.id
        sales.manager_id = users["mgr"]
        nanjing, hangzhou, pudong = (_region(session, c) for c in ("320100", "330100", "310115"))
        rows = {
            "nanjing": (east, "南京华信机电有限公司", users["li.na"], nanjing, team),
            "hangzhou": (east, "杭州金桥商贸有限公司", users["wang.qiang"], hangzhou, team),
            "shanghai": (east, "上海东方医药有限公司", None, pudong, None),
            "second": (east, "南京长城物流有限公司", users["zhao.min"], nanjing, other),
            "hq": (hq, "苏州宏达电气有限公司", None, _region(session, "320500"), None),
        }
        customers = {}
        for key, (division, name, owner, region, department) in rows.items():
            customer = Customer(division_id=division.id, name=name, code=key.upper(),
                                owner_id=owner, region_id=region.id, product_line_id=line.id,
                                department_id=department.id if department else None)
            session.add(customer)
            session.flush()
            customers[key] = customer.id
        return Org(users=users, customers=customers,
                   divisions={code: d.id for code, d in divisions.items()})
