"""The deal of an expense (crm_expense_funnel): picked on claim lines and requests, a real
foreign key, named on the voucher, listed on the deal's page, grouped in the project report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_expense.models import ExpenseBudget, ExpenseClaimLine
from core.context import acting_as, system_context
from core.errors import ValidationError
from core.reports import run_report
from core.testing.web import sign_in
from core.web.app import create_app
from tests.addons.crm_expense.conftest import PASSWORD, ExpenseWorld, won

DEAL = "南京华信二期自动化改造"


def browser(world: ExpenseWorld, login: str) -> TestClient:
    app = create_app(kernel=world.kernel)
    return sign_in(TestClient(app, headers={"Accept-Language": "en"}), login, PASSWORD)


@pytest.mark.sqlite_only
def test_a_claim_line_names_a_deal_seen_on_voucher_deal_page_and_report(world: ExpenseWorld) -> None:
    deal_id = won(world, [(DEAL, "li.na", "480000.00", dt.date(2026, 11, 12))])[0]
    with pytest.raises(ValidationError) as refused:
        world.claim("li.na", [world.line(3, "travel", "500.00", opportunity_id=deal_id + 99)])
    assert "lines.1.opportunity_id" in refused.value.fields
    claim_id = world.claim("li.na", [
        world.line(3, "travel", "500.00", opportunity_id=deal_id, description="方案交流差旅"),
        world.line(4, "meals", "120.00", description="工作餐")])
    world.fire("li.na", claim_id, "submit")
    world.approve_all(claim_id)
    rep = browser(world, "li.na")
    assert DEAL in rep.get(f"/a/crm_expense/claims/{claim_id}/voucher").text
    form = rep.get(f"/m/crm_expense_claim/{claim_id}")
    assert form.status_code == 200 and DEAL in form.text
    tab = rep.get(f"/m/crm_opportunity/{deal_id}")
    assert tab.status_code == 200 and "方案交流差旅" in tab.text and "工作餐" not in tab.text
    with acting_as(world.actor("fin")), world.kernel.session() as session:
        result = run_report(session, world.kernel.reports["expense_by_project"].report,
                            rows="project", columns="")
    assert result.row_totals[deal_id]["amount"] == Decimal("500.00")
    assert result.row_totals[None]["amount"] == Decimal("120.00")
    assert DEAL in rep.get("/r/expense_by_project?rows=project&columns=").text


@pytest.mark.sqlite_only
def test_the_claim_form_offers_the_deal_on_each_line(world: ExpenseWorld) -> None:
    page = browser(world, "li.na").get("/m/crm_expense_claim/new")
    assert page.status_code == 200
    assert 'name="lines-0-opportunity_id"' in page.text or "opportunity_id" in page.text


@pytest.mark.sqlite_only
def test_a_request_for_a_deal_alone_is_for_something(world: ExpenseWorld) -> None:
    deal_id = won(world, [(DEAL, "li.na", "480000.00", dt.date(2026, 11, 12))])[0]
    budget: Any
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        budget = ExpenseBudget(purpose="二期方案交流", amount=Decimal("3000"),
                               date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30),
                               division_id=world.actor("li.na").division_id)
        budget.opportunity_id = deal_id
        session.add(budget)
    with pytest.raises(ValidationError) as refused, \
            acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        session.add(ExpenseBudget(purpose="无对象", amount=Decimal("3000"),
                                  date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30),
                                  division_id=world.actor("li.na").division_id))
    assert set(refused.value.fields) == {"customer_id"}
    tab = browser(world, "li.na").get(f"/m/crm_opportunity/{deal_id}")
    assert "Expense requests" in tab.text and "二期方案交流" in tab.text


def _foreign_keys(world: ExpenseWorld, table: str) -> list[dict[str, Any]]:
    return sa.inspect(world.kernel.engine).get_foreign_keys(table)


def test_the_link_is_a_foreign_key_that_clears_with_its_deal(world: ExpenseWorld) -> None:
    """Both engines: the constraint is in the database, not only in the mapping."""
    for table in ("crm_expense_claim_line", "crm_expense_budget"):
        targets = {(fk["referred_table"], tuple(fk["constrained_columns"]))
                   for fk in _foreign_keys(world, table)}
        assert ("crm_opportunity", ("opportunity_id",)) in targets
    deal_id = won(world, [(DEAL, "li.na", "480000.00", dt.date(2026, 11, 12))])[0]
    claim_id = world.claim("li.na", [world.line(3, "travel", "500.00", opportunity_id=deal_id)])
    line: Any = ExpenseClaimLine
    with system_context(), world.kernel.sessions.begin() as session:
        session.execute(sa.text("DELETE FROM crm_opportunity WHERE id = :id"), {"id": deal_id})
    with system_context(), world.kernel.session() as session:
        assert session.scalar(sa.select(line.opportunity_id).where(
            line.claim_id == claim_id)) is None
        assert session.scalar(sa.select(sa.func.count()).select_from(ExpenseClaimLine)) == 1
