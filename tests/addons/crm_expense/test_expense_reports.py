"""Expense reports against hand-computed figures, under each role's record rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_expense.models import ExpenseBudget
from core.context import acting_as
from core.reports import run_report
from core.testing.web import sign_in
from core.web.app import create_app
from tests.addons.crm_expense.conftest import NOV, PASSWORD, ExpenseWorld


@pytest.fixture()
def spent(world: ExpenseWorld) -> ExpenseWorld:
    """Three claims: 李娜's approved (2 lines) and paid (1 line), 张伟's approved; a draft.

    By customer: 南京华信 1280.00 + 356.50 + 600.00 = 2236.50 (travel 1880.00, meals 356.50);
    苏州宏达 (张伟) 420.00 travel; no customer: 86.00 transport. The draft's 999.00 never counts.
    """
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        budget = ExpenseBudget(purpose="南京华信年度技术交流", amount=Decimal("2500.00"),
                               date_from=NOV, date_to=NOV.replace(day=30),
                               customer_id=world.customers["nanjing"])
        session.add(budget)
        session.flush()
        budget_id = budget.id
    first = world.claim("li.na", [
        world.line(3, "travel", "1280.00", budget_id=budget_id),
        world.line(4, "meals", "356.50", budget_id=budget_id)])
    second = world.claim("li.na", [world.line(12, "travel", "600.00"),
                                   world.line(13, "transport", "86.00", customer=None)])
    third = world.claim("zhang.wei", [world.line(7, "travel", "420.00", customer="suzhou")])
    world.claim("li.na", [world.line(20, "travel", "999.00")])
    for claim_id, login in ((first, "li.na"), (second, "li.na"), (third, "zhang.wei")):
        world.fire(login, claim_id, "submit")
        world.approve_all(claim_id)
    world.fire("fin", second, "pay")
    _submit_budget(world, budget_id)
    return world


def _submit_budget(world: ExpenseWorld, budget_id: int) -> int:
    from core.workflow import fire

    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        fire(session, session.get(ExpenseBudget, budget_id), "submit")
    for task in world.tasks(budget_id, model="crm_expense_budget"):
        world.decide({"Direct superior": "mgr", "Finance": "fin"}[task.name], task.id)
    return budget_id


def report(world: ExpenseWorld, login: str, key: str, **options):
    with acting_as(world.actor(login)), world.kernel.session() as session:
        return run_report(session, world.kernel.reports[key].report, **options)


def test_the_customer_expense_report_adds_up_approved_and_paid_lines(spent: ExpenseWorld) -> None:
    result = report(spent, "fin", "expense_by_customer")
    nanjing, suzhou = spent.customers["nanjing"], spent.customers["suzhou"]
    assert result.row_totals[nanjing]["amount"] == Decimal("2236.50")
    assert result.row_totals[suzhou]["amount"] == Decimal("420.00")
    assert result.row_totals[None]["amount"] == Decimal("86.00")
    assert result.cell(nanjing, spent.types["travel"])["amount"] == Decimal("1880.00")
    assert result.cell(nanjing, spent.types["meals"])["amount"] == Decimal("356.50")
    assert result.totals["amount"] == Decimal("2742.50")
    assert result.totals["lines"] == 5
    names = {heading.label for heading in result.rows}
    assert {"南京华信机电有限公司", "苏州宏达电气有限公司"} <= names


def test_each_role_sees_its_own_share(spent: ExpenseWorld) -> None:
    assert report(spent, "li.na", "expense_by_customer").totals["amount"] == Decimal("2322.50")
    assert report(spent, "zhang.wei", "expense_by_customer").totals["amount"] == Decimal("420.00")
    assert report(spent, "mgr", "expense_by_customer").totals["amount"] == Decimal("2742.50")
    by_rep = report(spent, "gm", "expense_analysis", rows="rep", columns="")
    assert by_rep.row_totals[spent.users["li.na"]]["amount"] == Decimal("2322.50")
    assert by_rep.row_totals[spent.users["zhang.wei"]]["amount"] == Decimal("420.00")


def test_by_type_department_and_period(spent: ExpenseWorld) -> None:
    by_type = report(spent, "fin", "expense_analysis", rows="type", columns="")
    assert by_type.row_totals[spent.types["travel"]]["amount"] == Decimal("2300.00")
    assert by_type.row_totals[spent.types["transport"]]["amount"] == Decimal("86.00")
    by_month = report(spent, "fin", "expense_analysis", rows="month", columns="")
    assert by_month.row_totals["2026-11"]["amount"] == Decimal("2742.50")
    first_half = report(spent, "fin", "expense_analysis", rows="department", columns="",
                        period=(NOV, NOV.replace(day=10)))
    assert first_half.totals["amount"] == Decimal("2056.50")
    # The deal report is the bridge crm_expense_funnel's, not installed here.
    assert "expense_by_project" not in spent.kernel.reports


def test_budget_against_actual(spent: ExpenseWorld) -> None:
    result = report(spent, "fin", "expense_budget_actual")
    row = result.row_totals["南京华信年度技术交流"]
    assert row["budget"] == Decimal("2500.00")
    assert row["actual"] == Decimal("1636.50")
    assert row["remaining"] == Decimal("863.50")
    assert row["used"] == Decimal("65.5")


def test_the_report_pages_and_the_excel_export(spent: ExpenseWorld) -> None:
    client = sign_in(TestClient(create_app(kernel=spent.kernel), headers={"Accept-Language": "en"}),
                     "fin", PASSWORD)
    page = client.get("/r/expense_by_customer")
    assert page.status_code == 200 and "南京华信机电有限公司" in page.text
    assert "2,236.50" in page.text
    export = client.get("/r/expense_by_customer.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    with spent.kernel.session() as session:
        assert session.scalar(sa.text("SELECT count(*) FROM crm_expense_claim")) == 4
