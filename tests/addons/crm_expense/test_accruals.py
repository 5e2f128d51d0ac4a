"""Incentive accrual (费用计提): a share of contract amounts won, approved by finance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_expense.accruals import accrued, month_bounds
from addons.crm_expense.models import Accrual, AccrualScheme
from core import actions as record_actions
from core.auth.passwords import hash_password
from core.context import acting_as, system_context
from core.errors import AccessDenied, TransitionRefused, ValidationError
from core.models import Division, Role, User
from core.workflow import fire
from tests.addons.crm_expense.conftest import ExpenseWorld, won


def scheme(world: ExpenseWorld, basis: str = "rep") -> int:
    with acting_as(world.actor("fin")), world.kernel.sessions.begin() as session:
        row = AccrualScheme(name="销售提成 2%", basis=basis, rate=Decimal("2"),
                            type_id=world.types["other"])
        session.add(row)
        session.flush()
        return int(row.id)


def accrue(world: ExpenseWorld, login: str, scheme_id: int, month: str) -> str | None:
    records = world.kernel.records[AccrualScheme]
    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        return record_actions.run(session, records, scheme_id, "accrue", {"month": month})[1]


def test_month_bounds_and_rounding() -> None:
    assert month_bounds("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    with pytest.raises(ValidationError) as refused:
        month_bounds("2026-13")
    assert "month" in refused.value.fields
    assert accrued(Decimal("123456.78"), Decimal("2.5")) == Decimal("3086.42")


def test_a_scheme_accrues_per_rep_and_finance_approves(world: ExpenseWorld) -> None:
    won(world, [("南京华信二期自动化改造", "li.na", "480000.00", dt.date(2026, 11, 12)),
                ("南京华信备件年度合同", "li.na", "35000.00", dt.date(2026, 11, 28)),
                ("苏州宏达配电柜", "zhang.wei", "120000.00", dt.date(2026, 11, 3)),
                ("十月旧单", "zhang.wei", "99000.00", dt.date(2026, 10, 30))])
    scheme_id = scheme(world)
    with pytest.raises(AccessDenied):
        accrue(world, "li.na", scheme_id, "2026-11")
    assert accrue(world, "fin", scheme_id, "2026-11") == "2 accruals for 2026-11."
    with system_context(), world.kernel.session() as session:
        rows = {row.user_id: row for row in session.scalars(sa.select(Accrual))}
    assert rows[world.users["li.na"]].base_amount == Decimal("515000.00")
    assert rows[world.users["li.na"]].amount == Decimal("10300.00")
    assert rows[world.users["zhang.wei"]].amount == Decimal("2400.00")
    # Running it again refreshes drafts instead of adding rows.
    accrue(world, "fin", scheme_id, "2026-11")
    with acting_as(world.actor("li.na")), world.kernel.session() as session:
        mine = list(session.scalars(sa.select(Accrual)))
    assert [row.user_id for row in mine] == [world.users["li.na"]]
    accrual_id = mine[0].id
    with system_context(), world.kernel.sessions.begin() as session:
        colleague = User(login="fin2", name="周敏", division_id=session.get(Accrual, accrual_id).division_id,
                         password_hash=hash_password("周敏-Password-1"))
        colleague.roles = [session.get(Role, "finance")]
        session.add(colleague)
        session.flush()
        world.users["fin2"] = colleague.id
    with acting_as(world.actor("fin")), world.kernel.sessions.begin() as session:
        fire(session, session.get(Accrual, accrual_id), "submit")
    task = world.tasks(accrual_id, model="crm_expense_accrual")[0]
    with pytest.raises(TransitionRefused, match="your own document"):
        world.decide("fin", task.id)
    world.decide("fin2", task.id)
    with system_context(), world.kernel.session() as session:
        assert session.get(Accrual, accrual_id).state == "approved"


def test_a_distributor_scheme_accrues_per_customer(world: ExpenseWorld) -> None:
    won(world, [("南京华信二期自动化改造", "li.na", "480000.00", dt.date(2026, 11, 12)),
                ("苏州宏达配电柜", "zhang.wei", "120000.00", dt.date(2026, 11, 3))])
    scheme_id = scheme(world, basis="distributor")
    assert accrue(world, "fin", scheme_id, "2026-11") == "1 accruals for 2026-11."
    with system_context(), world.kernel.session() as session:
        row = session.scalar(sa.select(Accrual))
    # Per distributor: the accrual belongs to the finance user who ran the scheme.
    assert (row.customer_id, row.user_id, row.amount) == (
        world.customers["nanjing"], world.users["fin"], Decimal("12000.00"))


def test_the_monthly_job_accrues_the_month_just_ended(world: ExpenseWorld) -> None:
    from addons.crm_expense.accruals import accrue_last_month, last_month
    from core.jobs import run_jobs

    assert last_month(dt.date(2026, 1, 15)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    won(world, [("南京华信二期自动化改造", "li.na", "480000.00", dt.date(2026, 11, 12))])
    scheme(world)
    with system_context(), world.kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division).where(Division.code == "HQ"))
        assert accrue_last_month(session, hq, today=dt.date(2026, 12, 2)) == 1
        assert accrue_last_month(session, hq, today=dt.date(2026, 11, 2)) == 0
    results = [r for r in run_jobs(world.kernel, only=["expense_accruals"])]
    assert [(r.division, r.error) for r in results] == [("HQ", None)]
    with system_context(), world.kernel.session() as session:
        periods = list(session.scalars(sa.select(Accrual.period)))
    assert periods == ["2026-11"]
