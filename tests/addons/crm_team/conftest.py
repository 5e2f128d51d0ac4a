"""An organisation for crm_team's tests, and helpers acting as its people.

HQ (crm_funnel, hence crm_team, enabled): 销售部 S ⊃ 销售一组 S1, manager 张伟
(zhang.wei), reps 李娜 (li.na) and 王芳 (wang.fang); 销售二组 S2: rep 陈杰 (chen.jie);
刘强 (gm, general manager). EAST: 赵敏 (east.rep).
Customers: 仁和大药房 (pharmacy, at a stored position, li.na's) with a decision maker
and a buyer; 华山医院 (A, li.na's, no position); 苏州宏达 (B, chen.jie's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Contact, Customer
from core.auth.passwords import hash_password
from core.context import Actor, acting_as, system_context
from core.kernel import Kernel
from core.models import Division, Role, User
from core.org import actor_for, add_department

PASSWORD = "拜访-Password-1"
PEOPLE = {  # login: (name, division, department, roles)
    "li.na": ("李娜", "HQ", "S1", ["sales_rep"]),
    "wang.fang": ("王芳", "HQ", "S1", ["sales_rep"]),
    "zhang.wei": ("张伟", "HQ", "S1", ["sales_manager"]),
    "chen.jie": ("陈杰", "HQ", "S2", ["sales_rep"]),
    "gm": ("刘强", "HQ", None, ["general_manager"]),
    "east.rep": ("赵敏", "EAST", None, ["sales_rep"]),
}
PHARMACY_AT = (31.2304, 121.4737)  # 上海 人民广场
MONDAY = dt.date(2026, 11, 30)


@dataclass
class TeamWorld:
    """A booted kernel with the organisation, and helpers acting as its people."""

    kernel: Kernel
    users: dict[str, int]
    customers: dict[str, int]
    contacts: dict[str, int]

    def actor(self, login: str) -> Actor:
        with system_context(), self.kernel.session() as session:
            return actor_for(session, session.get(User, self.users[login]))

    def create(self, login: str, model: type, values: dict[str, Any]) -> int:
        """A record made through the records service (as the pages and the API do)."""
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            return int(self.kernel.records[model].create(session, values).id)

    def update(self, login: str, model: type, record_id: int, values: dict[str, Any]) -> None:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            values = dict(values)
            version = values.pop("version", None)
            self.kernel.records[model].update(session, record_id, values, version=version)

    def read(self, model: type, record_id: int) -> Any:
        with system_context(), self.kernel.session() as session:
            record = session.get(model, record_id)
            session.expunge(record)
            return record

    def visible(self, login: str, model: type) -> set[int]:
        with acting_as(self.actor(login)), self.kernel.session() as session:
            return set(session.scalars(sa.select(model.id)))


def build_world(kernel: Kernel) -> TeamWorld:
    with system_context(), kernel.sessions.begin() as session:
        divisions = {d.code: d for d in session.scalars(sa.select(Division))}
        roles = {r.code: r for r in session.scalars(sa.select(Role))}
        sales = add_department(session, division=divisions["HQ"], code="S", name="销售部")
        one = add_department(session, division=divisions["HQ"], code="S1", name="销售一组",
                             parent=sales)
        two = add_department(session, division=divisions["HQ"], code="S2", name="销售二组",
                             parent=sales)
        departments = {"S": sales, "S1": one, "S2": two}
        users: dict[str, int] = {}
        for login, (name, division, department, codes) in PEOPLE.items():
            user = User(login=login, name=name, division_id=divisions[division].id,
                        department_id=departments[department].id if department else None,
                        password_hash=hash_password(PASSWORD))
            user.roles = [roles[code] for code in codes]
            session.add(user)
            session.flush()
            users[login] = user.id
        one.manager_id = users["zhang.wei"]
        customers = {}
        for key, name, owner, level, department in (
                ("pharmacy", "仁和大药房（人民广场店）", "li.na", "A", one),
                ("hospital", "华山医院", "li.na", "A", one),
                ("suzhou", "苏州宏达医药有限公司", "chen.jie", "B", two)):
            customer = Customer(division_id=divisions["HQ"].id, name=name, code=key.upper(),
                                owner_id=users[owner], department_id=department.id, level=level)
            session.add(customer)
            session.flush()
            customers[key] = customer.id
        pharmacy = session.get(Customer, customers["pharmacy"])
        pharmacy.latitude, pharmacy.longitude = PHARMACY_AT
        contacts = {}
        for key, name, role in (("boss", "周店长", "decision_maker"), ("buyer", "吴采购", "user")):
            contact = Contact(division_id=divisions["HQ"].id, customer_id=customers["pharmacy"],
                              name=name, decision_role=role)
            session.add(contact)
            session.flush()
            contacts[key] = contact.id
    return TeamWorld(kernel, users, customers, contacts)


@pytest.fixture()
def world(kernel: Kernel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamWorld]:
    monkeypatch.setattr(kernel.settings, "data_dir", tmp_path / "data")
    yield build_world(kernel)
