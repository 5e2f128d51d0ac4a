"""A campaign's life: application → approval → execution → close-out → locked."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from addons.crm_marketing.models import (
    Campaign,
    CampaignCloseout,
    CampaignCostType,
    CampaignParticipant,
)
from core.context import acting_as, system_context
from core.errors import KehuError, TransitionRefused, ValidationError
from tests.addons.crm_marketing.conftest import MarketingWorld

pytestmark = pytest.mark.sqlite_only


def _closeout(world: MarketingWorld, campaign_id: int, *amounts: str) -> int:
    return world.create("liu.yang", CampaignCloseout, {
        "title": "研讨会结案", "campaign_id": campaign_id, "attendance": "48",
        "results": "收集有效线索 30 条",
        "lines": [{"cost_type_id": world.lookup(CampaignCostType, "venue"), "amount": amount,
                   "date": "2026-10-16", "description": "会场租赁"} for amount in amounts]})


def test_application_to_close_out_locks_the_campaign(world: MarketingWorld) -> None:
    campaign_id = world.campaign(budget=("12000", "3000"))
    with system_context(), world.kernel.session() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign.budget_total == 15000 and campaign.organizer_id == world.users["liu.yang"]
    # A close-out before approval is refused, naming the campaign.
    with pytest.raises(ValidationError) as refused:
        _closeout(world, campaign_id, "9000")
    assert "campaign_id" in refused.value.fields

    world.fire("liu.yang", Campaign, campaign_id, "submit")
    assert world.approve_all(Campaign, campaign_id) == ["Direct superior"]  # under 50,000
    assert world.state(Campaign, campaign_id) == "approved"

    # Execution: a participant registers and checks in; nobody closes by hand.
    participant = world.create("li.na", CampaignParticipant, {
        "campaign_id": campaign_id, "name": "张工", "customer_id": world.customers["nanjing"]})
    with acting_as(world.actor("liu.yang")), world.kernel.sessions.begin() as session:
        record = session.get(CampaignParticipant, participant)
        world.kernel.views.get(CampaignParticipant).action("check_in").handler(
            session, record, world.actor("liu.yang"), {})
    with pytest.raises(TransitionRefused):
        world.fire("liu.yang", Campaign, campaign_id, "close")

    closeout_id = _closeout(world, campaign_id, "9000", "4500.50")
    with system_context(), world.kernel.session() as session:
        assert session.get(CampaignCloseout, closeout_id).total == pytest.approx(13500.50)
    world.fire("liu.yang", CampaignCloseout, closeout_id, "submit")
    assert world.approve_all(CampaignCloseout, closeout_id) == ["Direct superior", "Finance"]
    assert world.state(CampaignCloseout, closeout_id) == "approved"
    assert world.state(Campaign, campaign_id) == "closed"

    # Closed is final: the campaign and its participants cannot change.
    with pytest.raises(KehuError):
        with acting_as(world.actor("liu.yang")), world.kernel.sessions.begin() as session:
            version = session.get(Campaign, campaign_id).version
            world.kernel.records[Campaign].update(session, campaign_id, {"place": "上海"},
                                                  version=version)
    with pytest.raises(ValidationError):
        world.create("liu.yang", CampaignParticipant, {"campaign_id": campaign_id,
                                                       "name": "迟到者"})
    with system_context(), world.kernel.session() as session:
        checked = session.scalar(sa.select(CampaignParticipant.checked_in).where(
            CampaignParticipant.id == participant))
        assert checked is True


def test_a_large_budget_also_needs_the_general_manager(world: MarketingWorld) -> None:
    campaign_id = world.campaign(budget=("40000", "20000"))
    world.fire("liu.yang", Campaign, campaign_id, "submit")
    assert [t.name for t in world.tasks(Campaign, campaign_id)] == [
        "Direct superior", "General manager"]


def test_submit_needs_budget_lines_and_reject_needs_a_comment(world: MarketingWorld) -> None:
    empty = world.campaign(budget=())
    with pytest.raises(TransitionRefused):
        world.fire("liu.yang", Campaign, empty, "submit")
    with pytest.raises(ValidationError) as bad:
        world.campaign(budget=("-5",))
    assert "budget_lines.1.amount" in bad.value.fields


def test_reps_read_campaigns_but_do_not_create_them(world: MarketingWorld) -> None:
    world.campaign()
    with pytest.raises(KehuError):
        world.campaign("li.na")
    with acting_as(world.actor("li.na")), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count(Campaign.id))) == 1
    # EAST's marketing does not see HQ's campaigns.
    with acting_as(world.actor("east.mkt")), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count(Campaign.id))) == 0
