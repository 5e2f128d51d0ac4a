"""A small channel for the crm_channel tests.

HQ (crm_channel enabled): 销售部 S, manager 王建国 (mgr) ⊃ 销售一组 S1: reps 李娜 (li.na)
and 张伟 (zhang.wei); 陈静 (fin, finance), 刘强 (gm), the ERP (erp, integration).
Network: 国药控股广州 (tier-1, li.na) → 广州医药二级 (tier-2, li.na) → 大参林天河店 (terminal,
alias 大参林（天河）); 华润佛山 (tier-1, zhang.wei). Products P001 阿莫西林胶囊, P002 布洛芬缓释胶囊.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_channel.models import Agreement, Order
from addons.crm_customer.models import Customer, Product
from core.auth.passwords import hash_password
from core.context import Actor, acting_as, system_context
from core.kernel import Kernel
from core.models import Division, Role, User
from core.org import actor_for, add_department
from core.web.app import create_app
from core.workflow import decide, fire
from core.workflow.models import ApprovalRequest, ApprovalTask

PASSWORD = "渠道-Password-1"
PEOPLE = {  # login: (name, department, roles)
    "li.na": ("李娜", "S1", ["sales_rep"]),
    "zhang.wei": ("张伟", "S1", ["sales_rep"]),
    "mgr": ("王建国", "S", ["sales_manager"]),
    "fin": ("陈静", None, ["finance"]),
    "gm": ("刘强", None, ["general_manager"]),
    "erp": ("ERP 接口", None, ["integration"]),
}
CUSTOMERS = {  # key: (name, code, owner, tier, upstream key, aliases)
    "gz1": ("国药控股广州有限公司", "GZ1", "li.na", "tier1", None, "国药广州"),
    "gz2": ("广州医药二级商业公司", "GZ2", "li.na", "tier2", "gz1", None),
    "tianhe": ("大参林天河店", "T001", "li.na", "terminal", "gz2", "大参林（天河）"),
    "fs1": ("华润佛山医药有限公司", "FS1", "zhang.wei", "tier1", None, None),
}
PRODUCTS = {"P001": ("阿莫西林胶囊", "12.50"), "P002": ("布洛芬缓释胶囊", "20.00")}
NOV = dt.date(2026, 11, 1)


@dataclass
class ChannelWorld:
    """A booted kernel with the organisation and the network, acting as its people."""

    kernel: Kernel
    users: dict[str, int]
    customers: dict[str, int]
    products: dict[str, int]
    division_id: int

    def actor(self, login: str) -> Actor:
        with system_context(), self.kernel.session() as session:
            return actor_for(session, session.get(User, self.users[login]))

    def create(self, login: str, model: type, values: dict[str, Any]) -> int:
        """A record created through the records service (as the pages and the API do)."""
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            return int(self.kernel.records[model].create(session, values).id)

    def fire(self, login: str, model: type, record_id: int, name: str, **options: Any) -> Any:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            record = session.get(model, record_id)
            assert record is not None, f"{login} cannot see {model.__name__} {record_id}"
            return fire(session, record, name, **options)

    def tasks(self, model: type, record_id: int) -> list[ApprovalTask]:
        with system_context(), self.kernel.session() as session:
            request = session.scalar(sa.select(ApprovalRequest).where(
                ApprovalRequest.model == model.__tablename__, ApprovalRequest.res_id == record_id)
                .order_by(ApprovalRequest.round.desc()).limit(1))
            return list(session.scalars(sa.select(ApprovalTask).where(
                ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence)))

    def decide(self, login: str, task_id: int, approve: bool = True,
               comment: str | None = None) -> None:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            decide(session, task_id, approve, comment)

    def read(self, model: type, record_id: int) -> Any:
        with system_context(), self.kernel.session() as session:
            record = session.get(model, record_id)
            session.expunge_all()
            return record

    def agreement(self, distributor: str = "gz1", *, min_quantity: int | None = None) -> int:
        """An agreement for 2026 (P001 at 10.00, P002 at 16.00), approved by mgr then gm."""
        agreement = self.create("li.na", Agreement, {
            "distributor_id": self.customers[distributor], "year": 2026,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
            "lines": [{"product_id": self.products["P001"], "supply_price": "10.00",
                       "min_quantity": min_quantity, "q1": 100, "q2": 100, "q3": 100, "q4": 100},
                      {"product_id": self.products["P002"], "supply_price": "16.00"}]})
        self.fire("li.na", Agreement, agreement, "submit")
        for task, login in zip(self.tasks(Agreement, agreement), ("mgr", "gm"), strict=True):
            self.decide(login, task.id)
        return agreement

    def order(self, lines: dict[str, int], distributor: str = "gz1", login: str = "li.na",
              day: dt.date = NOV, price: str | None = None) -> int:
        return self.create(login, Order, {
            "distributor_id": self.customers[distributor], "order_date": day.isoformat(),
            "lines": [{"product_id": self.products[code], "quantity": quantity, "price": price}
                      for code, quantity in lines.items()]})

    def approved_order(self, lines: dict[str, int], **options: Any) -> int:
        order = self.order(lines, **options)
        self.fire(options.get("login", "li.na"), Order, order, "submit")
        for task in self.tasks(Order, order):
            self.decide("mgr" if task.name == "Direct superior" else "gm", task.id)
        return order

    def api(self) -> TestClient:
        return TestClient(create_app(kernel=self.kernel), base_url="http://testserver")

    def token(self, client: TestClient, login: str) -> dict[str, str]:
        answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    def shipped_order(self, lines: dict[str, int], **options: Any) -> int:
        """An approved order the ERP processed and shipped in full (through the API)."""
        order = self.approved_order(lines, **options)
        client = self.api()
        erp = self.token(client, "erp")
        base = f"/api/v1/crm_channel_order/{order}/actions"
        answer = client.post(f"{base}/process", headers=erp,
                             json={"values": {"erp_order_no": f"SO-{order}"}})
        assert answer.status_code == 200, answer.text
        answer = client.post(f"{base}/erp_ship", headers=erp, json={"values": {
            "delivery_no": f"DN-{order}", "ship_date": "2026-11-05", "batch": "B2611"}})
        assert answer.status_code == 200, answer.text
        return order


def build_world(kernel: Kernel) -> ChannelWorld:
    with system_context(), kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division).where(Division.code == "HQ"))
        roles = {r.code: r for r in session.scalars(sa.select(Role))}
        sales = add_department(session, division=hq, code="S", name="销售部")
        team = add_department(session, division=hq, code="S1", name="销售一组", parent=sales)
        departments = {"S": sales, "S1": team}
        users: dict[str, int] = {}
        for login, (name, department, codes) in PEOPLE.items():
            user = User(login=login, name=name, division_id=hq.id,
                        department_id=departments[department].id if department else None,
                        password_hash=hash_password(PASSWORD))
            user.roles = [roles[code] for code in codes]
            session.add(user)
            session.flush()
            users[login] = user.id
        sales.manager_id = users["mgr"]
        products = {}
        for code, (name, price) in PRODUCTS.items():
            product = Product(code=code, name=name, price=Decimal(price), division_id=hq.id)
            session.add(product)
            session.flush()
            products[code] = product.id
        customers: dict[str, int] = {}
        for key, (name, code, owner, tier, upstream, aliases) in CUSTOMERS.items():
            customer = Customer(division_id=hq.id, name=name, code=code, owner_id=users[owner],
                                department_id=team.id, aliases=aliases,
                                upstream_id=customers.get(upstream) if upstream else None)
            customer.channel_tier = tier  # type: ignore[attr-defined]
            session.add(customer)
            session.flush()
            customers[key] = customer.id
    return ChannelWorld(kernel, users, customers, products, hq.id)


@pytest.fixture()
def world(kernel: Kernel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ChannelWorld]:
    monkeypatch.setattr(kernel.settings, "data_dir", tmp_path / "data")
    yield build_world(kernel)


def _read_lines(self: ChannelWorld, order_id: int) -> list[Any]:
    from addons.crm_channel.models import OrderLine

    with system_context(), self.kernel.session() as session:
        lines = list(session.scalars(sa.select(OrderLine).where(OrderLine.order_id == order_id)
                                     .order_by(OrderLine.id)))
        session.expunge_all()
        return lines


def _count(self: ChannelWorld, model: type, login: str) -> int:
    with acting_as(self.actor(login)), self.kernel.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


ChannelWorld.read_lines = _read_lines  # type: ignore[attr-defined]
ChannelWorld.count = _count  # type: ignore[attr-defined]
