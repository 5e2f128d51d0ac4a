"""Expense claims charged to travel requests: the link is checked, and a trip's actual cost
is the sum of its claims in approval, approved or paid, against its estimate (#17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from addons.crm_expense.models import ExpenseClaim, ExpenseType
from addons.crm_team.models import Trip
from core.context import acting_as, system_context
from core.errors import ValidationError
from core.lookups import usable_in
from core.models import Division
from core.workflow import decide, fire
from core.workflow.models import ApprovalRequest, ApprovalTask
from tests.addons.crm_team.conftest import PASSWORD, TeamWorld

START = dt.date(2026, 12, 14)


def fire_as(world: TeamWorld, login: str, model: type, record_id: int, name: str,
            **options: Any) -> None:
    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        fire(session, session.get(model, record_id), name, **options)


def approve_all(world: TeamWorld, model: type, record_id: int) -> None:
    """Each step of the open round, decided by the one who may (superior, then finance)."""
    deciders = {"Direct superior": "zhang.wei", "General manager": "gm", "Finance": "fin"}
    with system_context(), world.kernel.session() as session:
        request = session.scalar(sa.select(ApprovalRequest).where(
            ApprovalRequest.model == model.__tablename__,  # type: ignore[attr-defined]
            ApprovalRequest.res_id == record_id).order_by(ApprovalRequest.round.desc()).limit(1))
        steps = [(t.id, t.name) for t in session.scalars(sa.select(ApprovalTask).where(
            ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence))]
    for task_id, name in steps:
        with acting_as(world.actor(deciders[name])), world.kernel.sessions.begin() as session:
            decide(session, task_id, True, "同意")


def trip(world: TeamWorld, login: str = "li.na", *, approved: bool = True) -> int:
    trip_id = world.create(login, Trip, {
        "destination": "南京", "purpose": "南京重点医院学术拜访", "estimated_cost": "2800.00",
        "date_from": START.isoformat(), "date_to": (START + dt.timedelta(days=2)).isoformat(),
        # li.na's customer on her trips; wang.fang has none of her own.
        "stops": [{"customer_id": world.customers["hospital"], "planned_on": START.isoformat()}]
        if login == "li.na" else []})
    if approved:
        fire_as(world, login, Trip, trip_id, "submit")
        approve_all(world, Trip, trip_id)
    return trip_id


def claim(world: TeamWorld, trip_id: int | None, amounts: list[str], login: str = "li.na") -> int:
    with system_context(), world.kernel.session() as session:
        hq = session.scalar(sa.select(Division.id).where(Division.code == "HQ"))
        travel = session.scalar(sa.select(ExpenseType.id).where(
            ExpenseType.code == "travel", usable_in(ExpenseType, hq)))
    return world.create(login, ExpenseClaim, {
        "title": "南京出差报销", "trip_id": trip_id,
        "date_from": START.isoformat(), "date_to": (START + dt.timedelta(days=2)).isoformat(),
        "lines": [{"date": START.isoformat(), "type_id": travel, "amount": amount,
                   "customer_id": world.customers["hospital"], "description": "高铁与住宿"}
                  for amount in amounts]})


def actual(world: TeamWorld, trip_id: int) -> Decimal | None:
    return world.read(Trip, trip_id).actual_cost  # type: ignore[no-any-return]


def test_a_trips_actual_cost_is_the_sum_of_its_claims_in_approval_or_approved(
        world: TeamWorld) -> None:
    """Both engines: the sum is an UPDATE with a correlated subquery."""
    trip_id = trip(world)
    assert world.read(Trip, trip_id).state == "approved"
    first = claim(world, trip_id, ["1200.00", "300.50"])
    second = claim(world, trip_id, ["180.00"])
    assert actual(world, trip_id) in (None, Decimal("0.00"))  # drafts do not count
    fire_as(world, "li.na", ExpenseClaim, first, "submit")
    assert actual(world, trip_id) == Decimal("1500.50")
    approve_all(world, ExpenseClaim, first)
    assert world.read(ExpenseClaim, first).state == "approved"
    assert actual(world, trip_id) == Decimal("1500.50")
    fire_as(world, "li.na", ExpenseClaim, second, "submit")
    assert actual(world, trip_id) == Decimal("1680.50")
    with system_context(), world.kernel.session() as session:
        task = session.scalar(sa.select(ApprovalTask).join(ApprovalRequest).where(
            ApprovalRequest.model == "crm_expense_claim", ApprovalRequest.res_id == second,
            ApprovalTask.state == "pending").order_by(ApprovalTask.sequence).limit(1))
    with acting_as(world.actor("zhang.wei")), world.kernel.sessions.begin() as session:
        decide(session, task.id, False, "住宿超标，请补充说明")
    assert world.read(ExpenseClaim, second).state == "draft"
    assert actual(world, trip_id) == Decimal("1500.50")  # back in draft: out of the actual
    budget = world.read(Trip, trip_id).estimated_cost
    assert (budget, budget - actual(world, trip_id)) == (Decimal("2800.00"), Decimal("1299.50"))
    with world.kernel.engine.connect() as connection:  # the stored figure is the claims' sum
        fen = connection.execute(sa.text(
            "SELECT SUM(total) FROM crm_expense_claim WHERE trip_id = :trip "
            "AND state IN ('submitted', 'approved', 'paid')"), {"trip": trip_id}).scalar()
    assert Decimal(fen) / 100 == actual(world, trip_id)


@pytest.mark.sqlite_only
def test_a_claim_is_charged_only_to_an_approved_trip_of_its_claimant(world: TeamWorld) -> None:
    draft = trip(world, approved=False)
    others = trip(world, "wang.fang")
    mine = trip(world)
    for login, trip_id, expected in (
            ("li.na", draft, "Only an approved travel request takes expense claims."),
            ("li.na", others, "No such record, or you may not see it."),  # not hers to see
            # Her manager sees her trip, but his own claim is not hers.
            ("zhang.wei", mine, "Charge the claim to a trip of its claimant.")):
        with pytest.raises(ValidationError) as refused:
            claim(world, trip_id, ["100.00"], login=login)
        assert refused.value.fields == {"trip_id": expected}
    claim_id = claim(world, None, ["100.00"])
    with pytest.raises(ValidationError) as refused:
        world.update("li.na", ExpenseClaim, claim_id, {"trip_id": draft})
    assert list(refused.value.fields) == ["trip_id"]
    world.update("li.na", ExpenseClaim, claim_id, {"trip_id": mine})
    assert world.read(ExpenseClaim, claim_id).trip_id == mine
    with pytest.raises(ValidationError) as refused:  # the actual cost is not typed in
        world.update("li.na", Trip, draft, {"actual_cost": "99.00"})
    assert list(refused.value.fields) == ["actual_cost"]
    world.update("li.na", Trip, draft, {"actual_cost": "0.00", "note": "改乘高铁"})


@pytest.mark.sqlite_only
def test_the_trip_form_shows_budget_actual_and_its_claims(world: TeamWorld) -> None:
    from starlette.testclient import TestClient

    from core.testing.web import sign_in
    from core.web.app import create_app

    trip_id = trip(world)
    claim_id = claim(world, trip_id, ["950.00"])
    fire_as(world, "li.na", ExpenseClaim, claim_id, "submit")
    client = sign_in(TestClient(create_app(kernel=world.kernel),
                                headers={"Accept-Language": "en"}), "li.na", PASSWORD)
    page = client.get(f"/m/crm_team_trip/{trip_id}").text
    assert "Estimated cost" in page and "Actual cost" in page
    assert "¥950.00" in page or "950.00" in page
    assert "南京出差报销" in page  # the claims tab
    form = client.get(f"/m/crm_expense_claim/{claim_id}").text
    assert "Travel request" in form and "南京" in form
