"""The closed loop: a campaign's leads and deals, its close-out and linked expense claims,
and the ROI report — equal to a hand-written SQL over the same rows, on both engines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from addons.crm_expense.models import ExpenseClaim, ExpenseType
from addons.crm_funnel.closing import close_won
from addons.crm_funnel.leads import assign, qualify
from addons.crm_funnel.models import Lead, Opportunity, SalesMode
from addons.crm_marketing.models import Campaign, CampaignCloseout, CampaignCostType
from core.context import acting_as, system_context
from core.reports import run_report
from core.workflow import decide
from tests.addons.crm_marketing.conftest import MarketingWorld

HAND_SQL = """
SELECT c.budget_total AS budget,
  COALESCE((SELECT SUM(o.total) FROM crm_marketing_closeout o
            WHERE o.campaign_id = c.id AND o.state = 'approved'), 0)
  + COALESCE((SELECT SUM(l.amount) FROM crm_expense_claim_line l
              JOIN crm_expense_claim e ON e.id = l.claim_id
              WHERE l.campaign_id = c.id AND e.state IN ('approved', 'paid')), 0) AS actual,
  (SELECT COUNT(*) FROM crm_lead d WHERE d.campaign_id = c.id) AS leads,
  (SELECT COUNT(*) FROM crm_lead d WHERE d.campaign_id = c.id
     AND d.opportunity_id IS NOT NULL) AS qualified,
  (SELECT COUNT(*) FROM crm_opportunity p WHERE p.campaign_id = c.id) AS opportunities,
  COALESCE((SELECT SUM(p.amount) FROM crm_opportunity p
            WHERE p.campaign_id = c.id AND p.state = 'won'), 0) AS won
FROM crm_marketing_campaign c WHERE c.id = :id
"""


def _lead(world: MarketingWorld, campaign_id: int, name: str) -> int:
    return world.create("liu.yang", Lead, {"name": name, "company": f"{name}有限公司",
                                           "campaign_id": campaign_id, "amount": "50000"})


def _won_deal_from(world: MarketingWorld, lead_id: int) -> int:
    """The manager assigns and qualifies the lead; the rep wins the deal for 80,000."""
    with acting_as(world.actor("mgr")), world.kernel.sessions.begin() as session:
        lead = session.get(Lead, lead_id)
        assign(session, lead, world.users["li.na"])
        session.flush()
        qualify(session, lead, world.actor("mgr"),
                {"sales_mode": _first_mode(world), "expected_close": dt.date(2026, 12, 20),
                 "amount": Decimal("80000")})
        deal_id = lead.opportunity_id
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        close_won(session, session.get(Opportunity, deal_id), world.actor("li.na"),
                  {"signed_on": dt.date(2026, 12, 1)})
    return int(deal_id)


def _campaign_claim(world: MarketingWorld, campaign_id: int, amount: str) -> None:
    """li.na's expense claim charged to the campaign, approved by her superior and finance."""
    with system_context(), world.kernel.session() as session:
        travel = session.scalar(sa.select(ExpenseType.id).where(
            ExpenseType.code == "travel", sa.or_(  # company-wide or HQ's own (#14)
                ExpenseType.division_id == world.divisions["HQ"],
                ExpenseType.division_id.is_(None))).order_by(ExpenseType.id).limit(1))
    claim_id = world.create("li.na", ExpenseClaim, {
        "title": "研讨会差旅", "date_from": "2026-10-01", "date_to": "2026-10-31",
        "lines": [{"date": "2026-10-15", "type_id": travel, "amount": amount,
                   "campaign_id": campaign_id, "description": "研讨会往返"}]})
    world.fire("li.na", ExpenseClaim, claim_id, "submit")
    for task in world.tasks(ExpenseClaim, claim_id):
        login = {"Direct superior": "mgr", "Finance": "fin"}.get(task.name, "gm")
        with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
            decide(session, task.id, True, None)
    assert world.state(ExpenseClaim, claim_id) == "approved"


def _close_out(world: MarketingWorld, campaign_id: int) -> None:
    closeout = world.create("liu.yang", CampaignCloseout, {
        "title": "研讨会结案", "campaign_id": campaign_id, "attendance": "48",
        "lines": [{"cost_type_id": world.lookup(CampaignCostType, "venue"), "amount": amount}
                  for amount in ("9000", "4500.50")]})
    world.fire("liu.yang", CampaignCloseout, closeout, "submit")
    world.approve_all(CampaignCloseout, closeout)


def _roi(world: MarketingWorld, login: str, campaign_id: int) -> dict[str, Any]:
    report = world.kernel.reports["campaign_roi"].report
    with acting_as(world.actor(login)), world.kernel.session() as session:
        result = run_report(session, report, rows="category", columns="")
        name = session.get(Campaign, campaign_id).category_id
        return dict(result.row(name))


def test_the_roi_loop_equals_a_hand_written_sql(world: MarketingWorld) -> None:
    campaign_id = world.campaign(budget=("12000", "3000"))
    world.fire("liu.yang", Campaign, campaign_id, "submit")
    world.approve_all(Campaign, campaign_id)
    leads = [_lead(world, campaign_id, name) for name in ("杭州精工", "宁波港务", "温州电气")]
    deal_id = _won_deal_from(world, leads[0])
    with system_context(), world.kernel.session() as session:
        assert session.get(Opportunity, deal_id).campaign_id == campaign_id  # carried over
    world.create("li.na", Opportunity, {
        "name": "宁波港务二期", "customer_id": world.customers["suzhou"],
        "sales_mode_id": _first_mode(world), "stage_id": _first_stage(world),
        "amount": "30000", "expected_close": "2027-01-15", "campaign_id": campaign_id})
    _campaign_claim(world, campaign_id, "1200")
    _close_out(world, campaign_id)
    assert world.state(Campaign, campaign_id) == "closed"

    with system_context(), world.kernel.engine.connect() as connection:
        hand = connection.execute(sa.text(HAND_SQL), {"id": campaign_id}).mappings().one()
    figures = _roi(world, "gm", campaign_id)
    assert figures["budget"] == Decimal(hand["budget"]) / 100 == Decimal("15000")
    assert figures["actual"] == Decimal(hand["actual"]) / 100 == Decimal("14700.50")
    assert (figures["leads"], figures["qualified"], figures["opportunities"]) == (
        hand["leads"], hand["qualified"], hand["opportunities"]) == (3, 1, 2)
    assert figures["won"] == Decimal(hand["won"]) / 100 == Decimal("80000")
    assert figures["cost_per_lead"] == pytest.approx(Decimal("14700.50") / 3, abs=Decimal("0.01"))
    assert float(figures["roi"]) == pytest.approx((80000 - 14700.50) * 100 / 14700.50, abs=0.05)
    # Marketing sees the expense claims charged to campaigns: the same figures.
    assert _roi(world, "liu.yang", campaign_id)["actual"] == Decimal("14700.50")


def _first_mode(world: MarketingWorld) -> int:
    with system_context(), world.kernel.session() as session:
        # The HQ's own sales modes, or company-wide ones (lookups may be either, #14).
        return int(session.scalars(sa.select(SalesMode.id).where(sa.or_(
            SalesMode.division_id == world.divisions["HQ"], SalesMode.division_id.is_(None)))
            .order_by(SalesMode.id)).first())


def _first_stage(world: MarketingWorld) -> int:
    from addons.crm_funnel.models import Stage

    with system_context(), world.kernel.session() as session:
        return int(session.scalars(sa.select(Stage.id).where(
            Stage.sales_mode_id == _first_mode(world)).order_by(Stage.sequence)).first())


def test_two_campaigns_of_one_name_are_two_rows_each_equal_to_the_hand_written_sql(
        world: MarketingWorld) -> None:
    """The ROI report groups by the campaign (its id), shown by its name, in one SQL."""
    first = world.campaign(name="春季研讨会", budget=("10000",))
    second = world.campaign(name="春季研讨会", budget=("4000", "1000"),
                            start=dt.date(2026, 11, 5))
    for campaign_id in (first, second):
        world.fire("liu.yang", Campaign, campaign_id, "submit")
        world.approve_all(Campaign, campaign_id)
    for name in ("杭州精工", "宁波港务", "温州电气"):
        _lead(world, first, name)
    _won_deal_from(world, _lead(world, second, "嘉兴电力"))
    _close_out(world, second)

    report = world.kernel.reports["campaign_roi"].report
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(world.kernel.engine, "before_cursor_execute", count)
    try:
        with acting_as(world.actor("gm")), world.kernel.session() as session:
            result = run_report(session, report, rows="campaign", columns="")
    finally:
        sa.event.remove(world.kernel.engine, "before_cursor_execute", count)
    # The figures of every campaign in one statement (the other one reads the names).
    figures = [s for s in statements if "crm_marketing_closeout" in s]
    assert len(figures) == 1, statements
    assert [h.value for h in result.rows] == [first, second]
    assert all(h.label.startswith("春季研讨会") for h in result.rows)
    with system_context(), world.kernel.engine.connect() as connection:
        for campaign_id in (first, second):
            hand = connection.execute(sa.text(HAND_SQL), {"id": campaign_id}).mappings().one()
            row = result.row(campaign_id)
            assert row["budget"] == Decimal(hand["budget"]) / 100
            assert row["actual"] == Decimal(hand["actual"]) / 100
            assert (row["leads"], row["qualified"], row["opportunities"]) == (
                hand["leads"], hand["qualified"], hand["opportunities"])
            assert row["won"] == Decimal(hand["won"]) / 100
    assert (result.row(first)["leads"], result.row(second)["leads"]) == (3, 1)
    assert result.row(second)["won"] == Decimal("80000")
    assert result.row(second)["cost_per_lead"] == Decimal("13500.50")
