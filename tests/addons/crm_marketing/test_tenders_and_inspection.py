"""Tenders on opportunities (a searchable database) and market inspection cases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from addons.crm_funnel.models import CompetitorCompany
from addons.crm_marketing.models import InspectionCase
from addons.crm_marketing_funnel.models import Tender
from core.context import acting_as, system_context
from core.errors import KehuError, ValidationError
from tests.addons.crm_marketing.conftest import MarketingWorld
from tests.addons.crm_marketing.test_competitors import _deal, _ids

pytestmark = pytest.mark.sqlite_only


def test_a_tender_on_a_deal_records_who_won_and_is_found_by_search(
        world: MarketingWorld) -> None:
    _mode, _stage, region = _ids(world)
    deal = _deal(world, "杭州地铁五号线控制系统", "900000", region, [])
    rival = world.create("liu.yang", CompetitorCompany, {"name": "北京华控科技"})
    tender = world.create("li.na", Tender, {
        "title": "杭州地铁五号线控制系统采购", "opportunity_id": deal, "issuer": "杭州地铁集团",
        "tender_number": "HZDT-2026-118", "budget": "1000000", "deadline": "2026-12-10",
        "bid_price": "880000"})
    with system_context(), world.kernel.session() as session:
        saved = session.get(Tender, tender)
        assert (saved.owner_id, saved.region_id) == (world.users["li.na"], region)
    with pytest.raises(ValidationError):
        with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
            world.kernel.records[Tender].update(session, tender, {"winning_price": "850000"},
                                                version=saved.version)
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        world.kernel.records[Tender].update(session, tender, {
            "result": "lost", "winner_id": rival, "winning_price": "850000"},
            version=saved.version)
    records = world.kernel.records[Tender]
    with acting_as(world.actor("liu.yang")), world.kernel.session() as session:
        page = records.page(session, records.select(search="五号线"))
        assert [row.id for row in page.rows] == [tender]


def test_an_inspection_case_is_reported_investigated_and_closed(world: MarketingWorld) -> None:
    case = world.create("li.na", InspectionCase, {
        "title": "淘宝店铺销售假冒控制柜", "kind": "counterfeit", "place": "某淘宝店铺",
        "suspect": "温州某电气商行", "evidence": "购买记录与实物照片"})
    with pytest.raises(KehuError):  # a rep reports, marketing follows up
        world.fire("li.na", InspectionCase, case, "investigate")
    world.fire("liu.yang", InspectionCase, case, "investigate")
    with pytest.raises(ValidationError):
        world.fire("liu.yang", InspectionCase, case, "close")
    world.fire("liu.yang", InspectionCase, case, "close",
               values={"outcome": "已向平台投诉，店铺下架"})
    assert world.state(InspectionCase, case) == "closed"
    with acting_as(world.actor("li.na")), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count(InspectionCase.id))) == 1
