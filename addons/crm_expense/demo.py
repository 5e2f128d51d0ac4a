"""Demo expenses for `kehu init --demo`: claims in every state, a request, a scheme.

Filed and decided through the workflow as the demo people themselves (王强 and
周杰 file, their manager 张伟 and finance 陈静 decide), so the inbox, the trail,
the vouchers and the reports have something to show. Skipped when the demo
organisation is not there or expenses exist already.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_expense.models import (
    AccrualScheme,
    ExpenseBudget,
    ExpenseClaim,
    ExpenseClaimLine,
    ExpenseType,
)
from core.context import acting_as
from core.lookups import usable_in
from core.models import Division, User
from core.org import actor_for
from core.workflow import decide, fire
from core.workflow.registry import workflows_of
from core.workflow.rounds import pending_request

# rep login, title, outcome, lines: (day, type code, amount, description)
CLAIMS = [
    ("wang.qiang", "杭州客户季度回访差旅", "paid", [
        (3, "travel", "1460.00", "上海—杭州高铁往返及两晚住宿"),
        (4, "meals", "268.00", "与设备部工作餐"),
        (5, "transport", "96.50", "市内出租车")]),
    ("wang.qiang", "宁波项目技术交流", "submitted", [
        (12, "travel", "820.00", "宁波往返及住宿"),
        (13, "entertainment", "1350.00", "技术交流会后招待")]),
    ("zhou.jie", "上海客户年度拜访", "approved", [
        (8, "transport", "210.00", "拜访客户租车"),
        (9, "gifts", "600.00", "客户年度拜访礼品")]),
    ("li.na", "南京客户拜访差旅", "approved", [  # her workbench tells her it was approved (#18)
        (6, "travel", "560.00", "上海—南京高铁往返"),
        (6, "meals", "132.00", "与客户工作午餐")]),
    ("zhou.jie", "月底拜访费用", "draft", [
        (20, "meals", "180.00", "客户工作午餐")]),
]


def _people(session: Session, division: Division) -> dict[str, User]:
    logins = ["wang.qiang", "zhou.jie", "li.na", "zhang.wei", "chen.jing"]
    found = session.scalars(sa.select(User).where(User.login.in_(logins),
                                                  User.division_id == division.id))
    return {user.login: user for user in found}


def _customers(session: Session, owner: User) -> list[int]:
    return list(session.scalars(sa.select(Customer.id).where(
        Customer.owner_id == owner.id, ~Customer.name.contains("南京")).order_by(Customer.id).limit(2)))


def _decide_all(session: Session, claim: ExpenseClaim, people: dict[str, User]) -> None:
    """The manager, then finance, approve the open round."""
    from core.workflow.models import ApprovalTask

    workflow = workflows_of(session).for_model(ExpenseClaim)
    assert workflow is not None
    request = pending_request(session, workflow, claim.id)
    assert request is not None
    tasks = session.scalars(sa.select(ApprovalTask).where(ApprovalTask.request_id == request.id)
                            .order_by(ApprovalTask.sequence)).all()
    deciders = {"Direct superior": "zhang.wei", "Finance": "chen.jing"}
    for task in tasks:
        with acting_as(actor_for(session, people[deciders.get(task.name, "chen.jing")])):
            decide(session, task.id, True, "同意")


def _claim(session: Session, people: dict[str, User], types: dict[str, int],
           row: tuple[str, str, str, list[Any]], month: dt.date) -> None:
    login, title, outcome, lines = row
    rep = people[login]
    customers = _customers(session, rep)
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    with acting_as(actor_for(session, rep)):
        claim = ExpenseClaim(title=title, date_from=month, date_to=end, division_id=rep.division_id)
        claim.lines = [ExpenseClaimLine(
            date=month.replace(day=day), type_id=types[code], amount=Decimal(amount),
            customer_id=customers[index % len(customers)] if customers else None,
            description=text) for index, (day, code, amount, text) in enumerate(lines)]
        session.add(claim)
        session.flush()
        if outcome != "draft":
            fire(session, claim, "submit")
    if outcome in ("approved", "paid"):
        _decide_all(session, claim, people)
    if outcome == "paid":
        with acting_as(actor_for(session, people["chen.jing"])):
            fire(session, claim, "pay")


def create_demo_expenses(session: Session, divisions: list[Division]) -> None:
    """The demo expenses of the first division (see the module docstring)."""
    if not divisions or session.scalar(sa.select(ExpenseClaim.id).limit(1)) is not None:
        return
    division = divisions[0]
    people = _people(session, division)
    if len(people) < 4:
        return
    types = dict(session.execute(sa.select(ExpenseType.code, ExpenseType.id).where(
        usable_in(ExpenseType, division.id))).all())
    today = dt.date.today()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for row in CLAIMS:
        _claim(session, people, types, row, month)
    customers = _customers(session, people["wang.qiang"])
    if customers:
        with acting_as(actor_for(session, people["wang.qiang"])):
            session.add(ExpenseBudget(
                purpose="浙江重点客户季度技术交流", amount=Decimal("8000.00"), date_from=month,
                date_to=month + dt.timedelta(days=89), type_id=types["travel"],
                customer_id=customers[0], division_id=division.id))
            session.flush()
    with acting_as(actor_for(session, people["chen.jing"])):
        session.add(AccrualScheme(name="销售提成 1%", basis="rep", rate=Decimal("1"),
                                  type_id=types["other"], division_id=division.id))
        session.flush()
