"""Opportunities imported from a file (#7): checked row by row, completed like a saved form."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from addons.crm_funnel.models import Lead, LeadRule, Opportunity, StageMove
from core.context import acting_as
from core.dataexchange import run_import
from core.models import Department
from tests.addons.crm_funnel.funnel_fixtures import Funnel, funnel  # noqa: F401  (fixture)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def test_imported_deals_get_probability_placement_and_history(funnel: Funnel) -> None:
    header = ["名称", "客户", "销售模式", "阶段", "金额", "预计成交日期"]
    good = ["南京浦口水厂自控系统", "NANJING", "si_supply", "SI 供货 · 03 方案提供", "880000",
            "2026-12-31"]
    wrong_mode = ["南京六合管网监测", "NANJING", "project_sale", "SI 供货 · 02 售前方案",
                  "120000", "2027-01-31"]
    with acting_as(funnel.org.actor(funnel.kernel, "li.na")):
        refused = run_import(funnel.kernel, Opportunity, _csv([header, good, wrong_mode]),
                             filename="商机.csv")
        assert [(e.row, e.message) for e in refused.errors] == [
            (3, "Stage SI 供货 · 02 售前方案 does not belong to the opportunity's sales mode.")]
        result = run_import(funnel.kernel, Opportunity, _csv([header, good]), filename="商机.csv")
        assert not result.errors
    with funnel.as_user("li.na") as session:
        # The first file was refused as a whole: one deal of that name, from the second.
        deal = session.scalars(sa.select(Opportunity).where(Opportunity.name == good[0])).one()
        assert (deal.probability, deal.state, deal.owner_id) == (40, "open",
                                                                 funnel.org.users["li.na"])
        assert deal.region_id is not None and deal.department_id is not None
        moves = session.execute(sa.select(StageMove.from_stage_id, StageMove.to_stage_id)
                                .where(StageMove.opportunity_id == deal.id)).all()
        assert moves == [(None, funnel.stage("si_supply", "方案提供"))]


def test_imported_leads_are_routed_like_entered_ones(funnel: Funnel) -> None:
    with funnel.system() as session:
        team = session.scalar(sa.select(Department.id).where(Department.code == "S1"))
        session.add(LeadRule(division_id=funnel.org.divisions["EAST"], name="展会线索轮流",
                             team_id=team))
    header = ["需求", "公司", "联系人", "电话"]
    rows = [["PLC 改造", "常州天合电子有限公司", "钱伟", "13861100001"],
            ["变频器采购", "镇江港务集团有限公司", "孙敏", "13861100002"]]
    with acting_as(funnel.org.actor(funnel.kernel, "mkt")):
        result = run_import(funnel.kernel, Lead, _csv([header, *rows]), filename="展会.csv")
        assert not result.errors
    with funnel.system() as session:
        routed = session.execute(sa.select(Lead.owner_id, Lead.state, Lead.deadline)
                                 .order_by(Lead.id)).all()
    assert [(owner, state) for owner, state, _deadline in routed] == [
        (funnel.org.users["li.na"], "assigned"), (funnel.org.users["wang.qiang"], "assigned")]
    assert all(deadline is not None for *_rest, deadline in routed)
