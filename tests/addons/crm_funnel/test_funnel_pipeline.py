"""Sales modes, stages and stage moves (#7): seeded pipelines, history, archived stages."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from addons.crm_funnel.models import Opportunity, SalesMode, Stage, StageMove
from core.errors import ValidationError
from core.lookups import usable_in
from tests.addons.crm_funnel.funnel_fixtures import Funnel, funnel  # noqa: F401  (fixture)

CLOSE = dt.date(2026, 12, 15)


def test_every_division_starts_with_both_sales_modes(funnel: Funnel) -> None:
    with funnel.system() as session:
        rows = session.execute(
            sa.select(SalesMode.division_id, SalesMode.code, Stage.name, Stage.probability)
            .join(Stage, Stage.sales_mode_id == SalesMode.id)
            .order_by(SalesMode.code, Stage.sequence)).all()
    # Seeded once, company-wide: every division uses them (#14).
    si = [(name, p) for division, code, name, p in rows if code == "si_supply"]
    project = [(name, p) for division, code, name, p in rows if code == "project_sale"]
    assert si == [("项目信息", 10), ("售前方案", 20), ("方案提供", 40), ("确定方案", 60),
                  ("商务谈判", 80), ("签订合同", 100)]
    assert project == [("可研立项", 10), ("工程设计", 20), ("产品定型", 40), ("招标评标", 60),
                       ("商务谈判", 80), ("签订合同", 100)]
    assert {division for division, *_rest in rows} == {None}


def test_a_stage_move_copies_the_probability_and_keeps_the_history(funnel: Funnel) -> None:
    deal = funnel.deal("li.na", customer="nanjing", name="南京地铁5号线信号系统",
                       amount="1200000", stage="项目信息", close=CLOSE)
    proposal = funnel.stage("si_supply", "方案提供")
    with funnel.as_user("li.na") as session:
        record = session.get(Opportunity, deal)
        assert record.probability == 10
        assert record.owner_id == funnel.org.users["li.na"]
        assert record.region_id is not None and record.sales_mode_id is not None
        record.stage_id = proposal
    with funnel.as_user("li.na") as session:
        record = session.get(Opportunity, deal)
        moves = session.scalars(sa.select(StageMove).where(StageMove.opportunity_id == deal)
                                .order_by(StageMove.id)).all()
        assert record.probability == 40
        assert [(m.from_stage_id, m.to_stage_id) for m in moves] == [
            (None, funnel.stage("si_supply", "项目信息")),
            (funnel.stage("si_supply", "项目信息"), proposal)]
        assert moves[0].dwell_seconds is None and moves[1].dwell_seconds >= 0
        assert moves[1].user_id == funnel.org.users["li.na"]


def test_a_stage_of_another_sales_mode_is_refused(funnel: Funnel) -> None:
    deal = funnel.deal("li.na", customer="nanjing", name="南京江北水厂改造", amount="500000",
                       stage="项目信息", close=CLOSE)
    with pytest.raises(ValidationError) as refused:
        with funnel.as_user("li.na") as session:
            session.get(Opportunity, deal).stage_id = funnel.stage("project_sale", "工程设计")
    assert "stage_id" in refused.value.fields


def test_editing_the_stage_list_keeps_open_deals_intact(funnel: Funnel) -> None:
    """An administrator renames, re-weights, archives and adds stages while deals are open."""
    deal = funnel.deal("li.na", customer="nanjing", name="南京南站综合监控", amount="800000",
                       stage="售前方案", close=CLOSE)
    presales = funnel.stage("si_supply", "售前方案")
    with funnel.as_user("li.na") as session:
        assert session.get(Opportunity, deal).probability == 20
    # Deleting a stage a deal stands on is refused, with what to do instead.
    with pytest.raises(ValidationError) as refused:
        with funnel.system() as session:
            session.delete(session.get(Stage, presales))
    assert "archive" in refused.value.message
    with funnel.system() as session:
        stage = session.get(Stage, presales)
        stage.active = False
        stage.probability = 25
        mode = session.get(SalesMode, stage.sales_mode_id)
        session.add(Stage(division_id=stage.division_id, sales_mode_id=mode.id, sequence=125,
                          name="技术交流", probability=30))
    with funnel.as_user("li.na") as session:
        record = session.get(Opportunity, deal)
        # The deal keeps its stage, amount and probability until it moves.
        assert (record.stage_id, record.probability, str(record.amount)) == (
            presales, 20, "800000.00")
        new = session.scalar(sa.select(Stage).where(Stage.name == "技术交流",
                                                     usable_in(Stage, record.division_id)))
        assert new.full_name == "SI 供货 · 03 技术交流"
        record.stage_id = new.id
    with funnel.as_user("li.na") as session:
        record = session.get(Opportunity, deal)
        assert record.probability == 30
    # Moving back onto the archived stage is refused.
    with pytest.raises(ValidationError) as refused:
        with funnel.as_user("li.na") as session:
            session.get(Opportunity, deal).stage_id = presales
    assert "archived" in refused.value.fields["stage_id"]


def test_the_records_service_moves_a_deal_like_the_kanban_does(funnel: Funnel) -> None:
    """The kanban drag saves the stage through the records service: same checks, same history."""
    deal = funnel.deal("li.na", customer="nanjing", name="南京禄口机场行李系统",
                       amount="2000000", stage="项目信息", close=CLOSE)
    records = funnel.kernel.records[Opportunity]
    with funnel.as_user("li.na") as session:
        records.update(session, deal, {"stage_id": str(funnel.stage("si_supply", "商务谈判"))},
                       version=None)
    with funnel.as_user("li.na") as session:
        assert session.get(Opportunity, deal).probability == 80
        assert session.scalar(sa.select(sa.func.count()).select_from(StageMove)
                              .where(StageMove.opportunity_id == deal)) == 2


def test_a_rep_sees_neither_other_regions_deals_nor_their_history(funnel: Funnel) -> None:
    mine = funnel.deal("li.na", customer="nanjing", name="南京鼓楼医院楼宇自控",
                       amount="300000", stage="项目信息", close=CLOSE)
    theirs = funnel.deal("wang.qiang", customer="hangzhou", name="杭州东站安检系统",
                         amount="450000", stage="项目信息", close=CLOSE)
    with funnel.as_user("li.na") as session:
        assert set(session.scalars(sa.select(Opportunity.id))) == {mine}
        assert set(session.scalars(sa.select(StageMove.opportunity_id))) == {mine}
    with funnel.as_user("mgr") as session:
        assert set(session.scalars(sa.select(Opportunity.id))) == {mine, theirs}


def test_a_deal_takes_its_owners_department_only_from_the_deals_division(funnel: Funnel) -> None:
    """An HQ manager's deal in EAST is not counted under an HQ department (#14)."""
    from core.models import Department, Division, Role, User
    from core.org import add_department

    with funnel.system() as session:
        hq = session.get(Division, funnel.org.divisions["HQ"])
        hq_sales = add_department(session, division=hq, code="HQS", name="总部大客户部")
        head = session.get(User, funnel.org.users["gm.hq"])
        head.department_id = hq_sales.id  # the head of HQ's key accounts, who sells too
        head.roles = [*head.roles, session.scalar(sa.select(Role).where(Role.code == "sales_manager"))]
    theirs = funnel.deal("gm.hq", customer="nanjing", name="南京全省大客户框架", amount="900000",
                         stage="项目信息", close=CLOSE, division_id=funnel.org.divisions["EAST"])
    mine = funnel.deal("li.na", customer="nanjing", name="南京江宁厂区扩建", amount="300000",
                       stage="项目信息", close=CLOSE)
    with funnel.system() as session:
        team = session.scalar(sa.select(Department.id).where(Department.code == "S1"))
        deals = {row.id: row for row in session.scalars(
            sa.select(Opportunity).where(Opportunity.id.in_([theirs, mine])))}
        assert deals[theirs].division_id == funnel.org.divisions["EAST"]
        assert deals[theirs].owner_id == funnel.org.users["gm.hq"]
        assert deals[theirs].department_id is None
        assert deals[mine].department_id == team
