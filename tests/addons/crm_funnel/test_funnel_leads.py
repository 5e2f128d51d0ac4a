"""Leads (#7): routing rules, team rotation with caps, the pool, overdue follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from addons.crm_funnel import leads
from addons.crm_funnel.models import Lead, LeadRule
from core.audit import Activity
from core.errors import ValidationError
from core.models import Department, Division, Region
from tests.addons.crm_funnel.funnel_fixtures import Funnel, funnel  # noqa: F401  (fixture)


def _team(funnel: Funnel, code: str) -> int:
    with funnel.system() as session:
        return int(session.scalar(sa.select(Department.id).where(Department.code == code)))


def _enter(funnel: Funnel, login: str, name: str, **values: object) -> int:
    with funnel.as_user(login) as session:
        lead = Lead(name=name, company=values.pop("company", "无锡华光环保能源有限公司"), **values)
        session.add(lead)
        session.flush()
        return int(lead.id)


def _lead(funnel: Funnel, lead_id: int) -> Lead:
    with funnel.system() as session:
        lead = session.get(Lead, lead_id)
        session.expunge(lead)
        return lead


def test_a_team_takes_leads_in_turn_up_to_each_reps_cap(funnel: Funnel) -> None:
    with funnel.system() as session:
        session.add(LeadRule(division_id=funnel.org.divisions["EAST"], name="销售一组轮流",
                             team_id=_team(funnel, "S1"), cap=2, follow_up_days=5))
    entered = [_lead(funnel, _enter(funnel, "mkt", f"展会线索{n}")) for n in range(5)]
    owners = [lead.owner_id for lead in entered]
    li, wang = funnel.org.users["li.na"], funnel.org.users["wang.qiang"]
    # In turn, two each; the fifth finds both at their cap and waits in the pool.
    assert owners == [li, wang, li, wang, None]
    pooled = _lead(funnel, _enter(funnel, "mkt", "展会线索6"))
    assert (pooled.state, pooled.deadline) == ("pool", None)
    assert entered[0].deadline == dt.date.today() + dt.timedelta(days=5)


def test_rules_match_on_region_and_a_reps_own_lead_stays_theirs(funnel: Funnel) -> None:
    with funnel.system() as session:
        zhejiang = session.scalar(sa.select(Region.id).where(Region.code == "330000"))
        hangzhou = session.scalar(sa.select(Region.id).where(Region.code == "330100"))
        session.add(LeadRule(division_id=funnel.org.divisions["EAST"], name="浙江",
                             region_id=zhejiang, user_id=funnel.org.users["wang.qiang"]))
    routed = _lead(funnel, _enter(funnel, "mkt", "杭州地铁线索", region_id=hangzhou))
    assert routed.owner_id == funnel.org.users["wang.qiang"]
    elsewhere = _lead(funnel, _enter(funnel, "mkt", "广州线索"))
    assert (elsewhere.owner_id, elsewhere.state) == (None, "pool")
    own = _lead(funnel, _enter(funnel, "li.na", "客户转介绍", region_id=hangzhou))
    assert (own.owner_id, own.state) == (funnel.org.users["li.na"], "assigned")


def test_reps_claim_from_the_pool_and_rejection_needs_a_reason(funnel: Funnel) -> None:
    lead_id = _enter(funnel, "mkt", "网站咨询：配电柜")
    zhao = funnel.org.actor(funnel.kernel, "zhao.min")
    with funnel.as_user("zhao.min") as session:
        message = leads.claim(session, session.get(Lead, lead_id), zhao, {})
        assert "follow it up" in message
    with funnel.as_user("zhao.min") as session:
        with pytest.raises(ValidationError):
            leads.claim(session, session.get(Lead, lead_id), zhao, {})
    manager = funnel.org.actor(funnel.kernel, "mgr")
    with funnel.as_user("mgr") as session:
        with pytest.raises(ValidationError) as refused:
            leads.reject(session, session.get(Lead, lead_id), manager, {"reason": "  "})
        assert "reason" in refused.value.fields
        leads.reject(session, session.get(Lead, lead_id), manager, {"reason": "预算不足，明年再议"})
    assert _lead(funnel, lead_id).state == "rejected"


def test_overdue_leads_are_flagged_and_some_go_back_to_the_pool(funnel: Funnel) -> None:
    with funnel.system() as session:
        session.add(LeadRule(division_id=funnel.org.divisions["EAST"], name="销售二组",
                             team_id=_team(funnel, "S2"), return_to_pool=True))
    kept = _enter(funnel, "li.na", "老客户新需求")        # li.na's own: flagged only
    returned = _enter(funnel, "mkt", "展会名片")         # routed to 销售二组: back to the pool
    followed = _enter(funnel, "wang.qiang", "电话咨询")   # followed up in time: untouched
    with funnel.system() as session:
        for lead in session.scalars(sa.select(Lead)):
            lead.deadline = dt.date.today() - dt.timedelta(days=1)
        session.add(Activity(model="crm_lead", res_id=followed, kind="call", summary="已电话沟通",
                             assignee_id=funnel.org.users["wang.qiang"],
                             create_uid=funnel.org.users["wang.qiang"]))
    assert _lead(funnel, returned).owner_id == funnel.org.users["zhao.min"]
    with funnel.system() as session:
        east = session.get(Division, funnel.org.divisions["EAST"])
        assert leads.flag_overdue(session, east) == 2
        assert leads.flag_overdue(session, east) == 0  # already flagged
    assert (_lead(funnel, kept).overdue, _lead(funnel, kept).owner_id) == (
        True, funnel.org.users["li.na"])
    back = _lead(funnel, returned)
    assert (back.overdue, back.state, back.owner_id) == (True, "pool", None)
    assert _lead(funnel, followed).overdue is False
    # The sales manager (above both teams) has a task on each overdue lead.
    with funnel.system() as session:
        tasks = session.execute(sa.select(Activity.res_id, Activity.assignee_id).where(
            Activity.kind == "task").order_by(Activity.res_id)).all()
    assert tasks == [(kept, funnel.org.users["mgr"]), (returned, funnel.org.users["mgr"])]
