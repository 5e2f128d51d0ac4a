"""Reimbursement claims through their approval chain (superior → finance → paid)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_expense.models import ExpenseBudget, ExpenseClaim, ExpenseClaimLine
from core.context import acting_as, system_context
from core.errors import TransitionRefused, ValidationError
from tests.addons.crm_expense.conftest import ExpenseWorld


def three_lines(world: ExpenseWorld) -> list[dict]:
    return [
        world.line(3, "travel", "1280.00", description="上海—南京高铁往返及住宿"),
        world.line(4, "meals", "356.50", description="与采购部工作餐"),
        world.line(5, "transport", "86.00", customer=None, description="南京市内出租车"),
    ]


def test_a_three_line_claim_goes_through_the_whole_chain(world: ExpenseWorld) -> None:
    claim_id = world.claim("li.na", three_lines(world))
    with system_context(), world.kernel.session() as session:
        claim = session.get(ExpenseClaim, claim_id)
        assert claim.total == Decimal("1722.50")
        assert claim.claimant_id == world.users["li.na"]
        assert {line.claimant_id for line in claim.lines} == {world.users["li.na"]}
        assert claim.department_id == claim.lines[0].department_id is not None
    world.fire("li.na", claim_id, "submit")
    superior, finance = world.tasks(claim_id)
    assert (superior.name, finance.name) == ("Direct superior", "Finance")
    world.decide("mgr", superior.id)
    assert world.state(claim_id) == "submitted"
    world.decide("fin", finance.id)
    assert world.state(claim_id) == "approved"
    world.fire("fin", claim_id, "pay")
    assert world.state(claim_id) == "paid"


def test_nobody_approves_their_own_claim(world: ExpenseWorld) -> None:
    claim_id = world.claim("li.na", three_lines(world))
    world.fire("li.na", claim_id, "submit")
    superior = world.tasks(claim_id)[0]
    with pytest.raises(TransitionRefused, match="your own document"):
        world.decide("li.na", superior.id)
    # A manager's own claim goes to someone else: the department has nobody above him.
    mine = world.claim("mgr", [world.line(6, "travel", "300.00")])
    with pytest.raises(TransitionRefused, match="Nobody can approve the step 'Direct superior'"):
        world.fire("mgr", mine, "submit")


def test_finance_cannot_approve_before_the_superior(world: ExpenseWorld) -> None:
    claim_id = world.claim("li.na", three_lines(world))
    world.fire("li.na", claim_id, "submit")
    finance = world.tasks(claim_id)[1]
    with pytest.raises(TransitionRefused, match="comes after 'Direct superior'"):
        world.decide("fin", finance.id)
    with pytest.raises(TransitionRefused):
        world.fire("fin", claim_id, "pay")
    assert world.state(claim_id) == "submitted"


def test_a_rejected_claim_returns_to_draft_and_is_resubmitted(world: ExpenseWorld) -> None:
    claim_id = world.claim("li.na", three_lines(world))
    world.fire("li.na", claim_id, "submit")
    superior = world.tasks(claim_id)[0]
    with pytest.raises(ValidationError):
        world.decide("mgr", superior.id, approve=False)
    world.decide("mgr", superior.id, approve=False, comment="餐费请附发票")
    assert world.state(claim_id) == "draft"
    records = world.kernel.records[ExpenseClaim]
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        claim = records.get(session, claim_id)
        rows = [{"id": line.id, "date": str(line.date), "type_id": line.type_id,
                 "amount": str(line.amount), "customer_id": line.customer_id,
                 "description": line.description} for line in claim.lines]
        rows[1]["amount"] = "300.00"
        records.update(session, claim_id, {"lines": rows}, version=claim.version)
    world.fire("li.na", claim_id, "submit", comment="已补发票")
    tasks = world.tasks(claim_id)
    assert [t.state for t in tasks] == ["pending", "waiting"]
    world.approve_all(claim_id)
    with system_context(), world.kernel.session() as session:
        assert session.get(ExpenseClaim, claim_id).total == Decimal("1666.00")
        rounds = session.scalar(sa.text(
            "SELECT count(*) FROM kehu_approval_request WHERE model = 'crm_expense_claim'"))
    assert rounds == 2 and world.state(claim_id) == "approved"


def test_a_large_claim_also_needs_the_general_manager(world: ExpenseWorld) -> None:
    claim_id = world.claim("li.na", [
        world.line(10, "conference", "4800.00", description="行业展会展位费"),
        world.line(11, "travel", "900.00", description="展会差旅")])
    world.fire("li.na", claim_id, "submit")
    assert [t.name for t in world.tasks(claim_id)] == ["Direct superior", "General manager",
                                                       "Finance"]
    world.approve_all(claim_id)
    assert world.state(claim_id) == "approved"


def test_a_line_over_its_type_limit_needs_a_justification(world: ExpenseWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        world.claim("li.na", [world.line(3, "travel", "200.00"),
                              world.line(4, "entertainment", "2600.00", description="宴请客户")])
    assert set(refused.value.fields) == {"lines.2.justification"}
    assert "Line 2" in refused.value.fields["lines.2.justification"]
    assert "2000.00" in refused.value.fields["lines.2.justification"]
    claim_id = world.claim("li.na", [world.line(4, "entertainment", "2600.00",
                                                justification="客户总经理一行六人，年度合同签约")])
    world.fire("li.na", claim_id, "submit")
    assert world.state(claim_id) == "submitted"


def test_a_line_beyond_its_budget_needs_a_justification(world: ExpenseWorld) -> None:
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        budget = ExpenseBudget(purpose="南京华信年度技术交流", amount=Decimal("1000"),
                               date_from=world.line(1, "travel", "1")["date"],
                               date_to=world.line(30, "travel", "1")["date"],
                               customer_id=world.customers["nanjing"])
        session.add(budget)
        session.flush()
        budget_id = budget.id
    first = world.claim("li.na", [world.line(3, "travel", "700.00", budget_id=budget_id)])
    world.fire("li.na", first, "submit")
    with pytest.raises(ValidationError) as refused:
        world.claim("li.na", [world.line(8, "travel", "120.00"),
                              world.line(9, "travel", "400.00", budget_id=budget_id)])
    assert set(refused.value.fields) == {"lines.2.justification"}
    assert "南京华信年度技术交流" in refused.value.message


def test_lines_outside_the_period_and_a_claim_without_lines_are_refused(world: ExpenseWorld) -> None:
    line = world.line(3, "travel", "100.00")
    line["date"] = line["date"].replace(month=10)
    with pytest.raises(ValidationError) as refused:
        world.claim("li.na", [world.line(2, "meals", "80.00"), line])
    assert set(refused.value.fields) == {"lines.2.date"}
    empty = world.claim("li.na", [])
    with pytest.raises(TransitionRefused, match="at least one expense line"):
        world.fire("li.na", empty, "submit")


def test_a_submitted_claim_and_its_lines_cannot_be_edited(world: ExpenseWorld) -> None:
    claim_id = world.claim("li.na", three_lines(world))
    world.fire("li.na", claim_id, "submit")
    with acting_as(world.actor("li.na")), pytest.raises(ValidationError, match="cannot be changed"):
        with world.kernel.sessions.begin() as session:
            session.get(ExpenseClaim, claim_id).title = "改标题"
    lines = world.kernel.records[ExpenseClaimLine]
    with acting_as(world.actor("li.na")), pytest.raises(ValidationError, match="lines cannot"):
        with world.kernel.sessions.begin() as session:
            line_id = session.scalar(sa.select(ExpenseClaimLine.id).where(
                ExpenseClaimLine.claim_id == claim_id).limit(1))
            lines.update(session, line_id, {"amount": "9999.00"}, version=None)
    with system_context(), world.kernel.session() as session:
        assert session.get(ExpenseClaim, claim_id).total == Decimal("1722.50")


def test_a_superior_outside_the_department_reads_what_he_must_approve(world: ExpenseWorld) -> None:
    from core.auth.passwords import hash_password
    from core.models import Role, User

    with system_context(), world.kernel.sessions.begin() as session:
        director = User(login="sun.wei", name="孙伟", division_id=session.get(
            User, world.users["li.na"]).division_id, password_hash=hash_password("区域-Password-1"))
        director.roles = [session.get(Role, "sales_manager")]
        session.add(director)
        session.flush()
        session.get(User, world.users["li.na"]).manager_id = director.id
        world.users["sun.wei"] = director.id
    claim_id = world.claim("li.na", three_lines(world))

    def visible() -> bool:
        with acting_as(world.actor("sun.wei")), world.kernel.session() as session:
            return session.get(ExpenseClaim, claim_id) is not None

    assert not visible()
    world.fire("li.na", claim_id, "submit")
    assert visible()
    superior = world.tasks(claim_id)[0]
    world.decide("sun.wei", superior.id)
    assert [t.state for t in world.tasks(claim_id)] == ["approved", "pending"]
