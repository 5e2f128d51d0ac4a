"""An organisation for the expense tests, and helpers to file and decide claims.

HQ (crm_expense enabled): 销售部 S, manager 王建国 (mgr) ⊃ 销售一组 S1: reps 李娜 (li.na)
and 张伟 (zhang.wei); 陈静 (fin, finance), 刘强 (gm, general manager).
EAST (crm_expense not enabled): 赵敏 (east.rep).
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

from addons.crm_customer.models import Customer
from addons.crm_expense.models import ExpenseClaim, ExpenseType
from core.auth.passwords import hash_password
from core.context import Actor, acting_as, system_context
from core.kernel import Kernel
from core.lookups import usable_in
from core.models import Division, Role, User
from core.org import actor_for, add_department
from core.workflow import decide, fire
from core.workflow.models import ApprovalRequest, ApprovalTask

PASSWORD = "报销-Password-1"
PEOPLE = {  # login: (name, division, department, roles)
    "li.na": ("李娜", "HQ", "S1", ["sales_rep"]),
    "zhang.wei": ("张伟", "HQ", "S1", ["sales_rep"]),
    "mgr": ("王建国", "HQ", "S", ["sales_manager"]),
    "fin": ("陈静", "HQ", None, ["finance"]),
    "gm": ("刘强", "HQ", None, ["general_manager"]),
    "east.rep": ("赵敏", "EAST", None, ["sales_rep"]),
}
NOV = dt.date(2026, 11, 1)


@dataclass
class ExpenseWorld:
    """A booted kernel with the organisation, and helpers acting as its people."""

    kernel: Kernel
    users: dict[str, int]
    customers: dict[str, int]
    types: dict[str, int]

    def actor(self, login: str) -> Actor:
        with system_context(), self.kernel.session() as session:
            return actor_for(session, session.get(User, self.users[login]))

    def claim(self, login: str, lines: list[dict[str, Any]], *, title: str = "11月客户拜访费用",
              date_from: dt.date = NOV, date_to: dt.date = dt.date(2026, 11, 30)) -> int:
        """A draft claim filed by `login` through the records service (as the pages do)."""
        records = self.kernel.records[ExpenseClaim]
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            claim = records.create(session, {
                "title": title, "date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
                "lines": [{**line, "date": str(line["date"]), "amount": str(line["amount"])}
                          for line in lines]})
            return int(claim.id)

    def line(self, day: int, kind: str, amount: str, customer: str | None = "nanjing",
             description: str = "拜访客户", **extra: Any) -> dict[str, Any]:
        return {"date": dt.date(2026, 11, day), "type_id": self.types[kind], "amount": amount,
                "customer_id": self.customers[customer] if customer else None,
                "description": description, **extra}

    def fire(self, login: str, claim_id: int, name: str, **options: Any) -> Any:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            claim = session.get(ExpenseClaim, claim_id)
            assert claim is not None, f"{login} cannot see claim {claim_id}"
            return fire(session, claim, name, **options)

    def decide(self, login: str, task_id: int, approve: bool = True, comment: str | None = None) -> Any:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            return decide(session, task_id, approve, comment)

    def tasks(self, claim_id: int, model: str = "crm_expense_claim") -> list[ApprovalTask]:
        """The tasks of the latest round, in order."""
        with system_context(), self.kernel.session() as session:
            request = session.scalar(sa.select(ApprovalRequest).where(
                ApprovalRequest.model == model, ApprovalRequest.res_id == claim_id)
                .order_by(ApprovalRequest.round.desc()).limit(1))
            if request is None:
                return []
            return list(session.scalars(sa.select(ApprovalTask).where(
                ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence)))

    def state(self, claim_id: int) -> str:
        with system_context(), self.kernel.session() as session:
            return str(session.get(ExpenseClaim, claim_id).state)

    def approve_all(self, claim_id: int) -> None:
        """Superior, then (above the threshold) the general manager, then finance approve."""
        deciders = {"Direct superior": "mgr", "General manager": "gm", "Finance": "fin"}
        for task in self.tasks(claim_id):
            self.decide(deciders[task.name], task.id)


def won(world: ExpenseWorld, rows: list[tuple[str, str, str, dt.date]]) -> list[int]:
    """Won deals of crm_funnel (installed in the default test database; the tests, not
    crm_expense, know it), written in SQL as a finished history; returns their ids."""
    from addons.crm_funnel.models import Opportunity, SalesMode, Stage

    stamps = {"version": 1, "create_date": dt.datetime(2026, 1, 1),
              "write_date": dt.datetime(2026, 1, 1)}
    ids: list[int] = []
    with system_context(), world.kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division.id).where(Division.code == "HQ"))
        mode = session.execute(sa.insert(SalesMode.__table__).values(
            code="PRJ", name="项目型销售", division_id=hq, active=True,
            **stamps)).inserted_primary_key[0]
        stage = session.execute(sa.insert(Stage.__table__).values(
            sales_mode_id=mode, sequence=60, name="合同签订", full_name="项目型销售 / 合同签订",
            probability=100, division_id=hq, active=True, **stamps)).inserted_primary_key[0]
        for name, owner, amount, closed in rows:
            ids.append(session.execute(sa.insert(Opportunity.__table__).values(
                name=name, customer_id=world.customers["nanjing"], sales_mode_id=mode,
                stage_id=stage, amount=Decimal(amount), probability=100,
                expected_close=closed, owner_id=world.users[owner], state="won",
                closed_on=closed, division_id=hq, stage_date=dt.datetime(2026, 1, 1),
                **stamps)).inserted_primary_key[0])
    return ids


def build_world(kernel: Kernel) -> ExpenseWorld:
    with system_context(), kernel.sessions.begin() as session:
        divisions = {d.code: d for d in session.scalars(sa.select(Division))}
        roles = {r.code: r for r in session.scalars(sa.select(Role))}
        sales = add_department(session, division=divisions["HQ"], code="S", name="销售部")
        team = add_department(session, division=divisions["HQ"], code="S1", name="销售一组",
                              parent=sales)
        departments = {"S": sales, "S1": team}
        users: dict[str, int] = {}
        for login, (name, division, department, codes) in PEOPLE.items():
            user = User(login=login, name=name, division_id=divisions[division].id,
                        department_id=departments[department].id if department else None,
                        password_hash=hash_password(PASSWORD))
            user.roles = [roles[code] for code in codes]
            session.add(user)
            session.flush()
            users[login] = user.id
        sales.manager_id = users["mgr"]
        customers = {}
        for key, name, owner in (("nanjing", "南京华信机电有限公司", "li.na"),
                                 ("suzhou", "苏州宏达电气有限公司", "zhang.wei")):
            customer = Customer(division_id=divisions["HQ"].id, name=name, code=key.upper(),
                                owner_id=users[owner], department_id=team.id)
            session.add(customer)
            session.flush()
            customers[key] = customer.id
        types = dict(session.execute(sa.select(ExpenseType.code, ExpenseType.id).where(
            usable_in(ExpenseType, divisions["HQ"].id))).all())
    return ExpenseWorld(kernel, users, customers, types)


@pytest.fixture()
def world(kernel: Kernel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ExpenseWorld]:
    monkeypatch.setattr(kernel.settings, "data_dir", tmp_path / "data")
    yield build_world(kernel)
