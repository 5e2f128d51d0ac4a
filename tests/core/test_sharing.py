"""Account and deal teams: records shared with users or teams through the record rules (#14)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_funnel.models import Opportunity
from core.access.explain import explain
from core.audit import Note
from core.context import acting_as, system_context
from core.errors import AccessDenied
from core.sharing import RecordShare, in_region, share, shared_when, unshare
from tests.addons.crm_funnel.funnel_fixtures import Funnel, app, funnel  # noqa: F401  (fixtures)


def test_a_deal_shared_by_the_owners_manager_is_seen_and_worked_on_by_the_team(
        funnel: Funnel, app: object) -> None:
    deal = funnel.deal("li.na", customer="nanjing", name="南京地铁9号线", amount="500000",
                       stage="商务谈判", close=dt.date(2026, 12, 1))
    zhao, wang = funnel.org.users["zhao.min"], funnel.org.users["wang.qiang"]
    # zhao.min (another team, no region) does not see li.na's deal nor her customer.
    with funnel.as_user("zhao.min") as session:
        assert session.get(Opportunity, deal) is None
    # The owner alone may not share it; the owner's manager may.
    with pytest.raises(AccessDenied):
        with funnel.as_user("li.na") as session:
            share(session, session.get(Opportunity, deal),
                  funnel.org.actor(funnel.kernel, "li.na"), {"user": zhao, "role": "presales"})
    with funnel.as_user("mgr") as session:
        message = share(session, session.get(Opportunity, deal),
                        funnel.org.actor(funnel.kernel, "mgr"), {"user": zhao, "role": "presales"})
        assert "zhao.min" in message
    with funnel.as_user("zhao.min") as session:
        record = session.get(Opportunity, deal)
        assert record is not None
        record.description = "售前方案已提交"  # works on it, through the same rules
    with funnel.system() as session:
        shares = session.execute(sa.select(RecordShare.user_id, RecordShare.role,
                                           RecordShare.granted_by)).all()
        assert shares == [(zhao, "presales", funnel.org.users["mgr"])]
        notes = session.scalars(sa.select(Note.body).where(Note.model == "crm_opportunity",
                                                           Note.res_id == deal)).all()
        assert any("zhao.min" in note for note in notes)
        # "Why can zhao.min see this": the sharing rule.
        why = explain(session, funnel.org.actor(funnel.kernel, "zhao.min"), Opportunity, deal)
        assert why.visible and any("shared" in line for line in why.lines())
    # The API lists it for the team member too.
    api = funnel.api(app, "zhao.min")
    assert api.get(f"/api/v1/crm_opportunity/{deal}").status_code == 200
    # Withdrawn: gone again.
    with funnel.as_user("mgr") as session:
        unshare(session, session.get(Opportunity, deal), funnel.org.actor(funnel.kernel, "mgr"),
                {"user": zhao})
    with funnel.as_user("zhao.min") as session:
        assert session.get(Opportunity, deal) is None
    assert wang


def test_a_customer_shared_with_a_team_is_seen_by_its_members(funnel: Funnel) -> None:
    customer = funnel.org.customers["nanjing"]
    with funnel.system() as session:
        from core.models import Department

        other = session.scalar(sa.select(Department.id).where(Department.code == "S2"))
    with funnel.as_user("zhao.min") as session:
        assert session.get(Customer, customer) is None
    with system_context(), funnel.kernel.sessions.begin() as session:
        record = session.get(Customer, customer)
        share(session, record, funnel.org.actor(funnel.kernel, "mgr"),
              {"team": other, "role": "account"})
    with funnel.as_user("zhao.min") as session:
        assert session.get(Customer, customer) is not None
    with acting_as(funnel.org.actor(funnel.kernel, "wang.qiang")), funnel.kernel.sessions() as session:
        assert session.get(Customer, customer) is None  # team S1's wang.qiang covers 浙江 only


def _visible(funnel: Funnel, login: str) -> set[int]:
    with funnel.as_user(login) as session:
        return set(session.scalars(sa.select(Opportunity.id)))


def test_declared_and_automatic_rules_grant_exactly_their_rows(funnel: Funnel) -> None:
    """A declared rule (deals of 1,000,000 or more in 江苏 go to team 销售二组) and the
    automatic one (a customer's account team sees its deals): the SQL of both, on both
    engines, grants exactly the rows it should, and "why" names the rule."""
    close = dt.date(2026, 12, 1)
    big = funnel.deal("li.na", customer="nanjing", name="南京大单", amount="2000000",
                      stage="商务谈判", close=close)
    small = funnel.deal("li.na", customer="nanjing", name="南京小单", amount="1000",
                        stage="商务谈判", close=close)
    zhejiang = funnel.deal("wang.qiang", customer="hangzhou", name="杭州大单",
                           amount="3000000", stage="商务谈判", close=close)
    own = funnel.deal("zhao.min", customer="second", name="长城物流", amount="10",
                      stage="商务谈判", close=close)
    assert _visible(funnel, "zhao.min") == {own}
    label = "Deals of 1,000,000 or more in 江苏 are shared with 销售二组"
    rule = shared_when(Opportunity, ("sales_rep",), label, team="S2",
                       where=lambda m: sa.and_(m.amount >= 1_000_000, in_region(m, "320000")))
    rules = funnel.kernel.policy.rules[Opportunity]
    rules.append(rule)
    try:
        assert _visible(funnel, "zhao.min") == {own, big}  # team 销售二组: only the big 江苏 deal
        assert _visible(funnel, "wang.qiang") == {zhejiang}  # team 销售一组: not his team's rule
        with funnel.system() as session:
            why = explain(session, funnel.org.actor(funnel.kernel, "zhao.min"), Opportunity, big)
            assert why.visible and any(label in line for line in why.lines())
    finally:
        rules.remove(rule)
    assert _visible(funnel, "zhao.min") == {own}
    # The account team of 南京华信: zhao.min sees its deals, and only those.
    with system_context(), funnel.kernel.sessions.begin() as session:
        share(session, session.get(Customer, funnel.org.customers["nanjing"]),
              funnel.org.actor(funnel.kernel, "mgr"), {"user": funnel.org.users["zhao.min"],
                                                       "role": "account"})
    assert _visible(funnel, "zhao.min") == {own, big, small}
    with funnel.system() as session:
        why = explain(session, funnel.org.actor(funnel.kernel, "zhao.min"), Opportunity, small)
        assert why.visible and any("Customer whose team" in line for line in why.lines())


@pytest.mark.sqlite_only
def test_the_team_panel_adds_and_removes_members_over_http(funnel: Funnel, app: object) -> None:
    from starlette.testclient import TestClient

    from core.testing.web import csrf_token, sign_in
    from tests.core.org_fixtures import PASSWORD

    deal = funnel.deal("li.na", customer="nanjing", name="南京地铁9号线", amount="500000",
                       stage="商务谈判", close=dt.date(2026, 12, 1))
    zhao = funnel.org.users["zhao.min"]

    def client(login: str) -> TestClient:
        return sign_in(TestClient(app, headers={"Accept-Language": "en"}), login, PASSWORD)  # type: ignore[arg-type]

    # The owner sees the panel but may not change the team.
    li = client("li.na")
    page = li.get(f"/m/crm_opportunity/{deal}")
    assert 'id="team"' in page.text and "Nobody is on this record's team yet." in page.text
    assert "/do/share" not in page.text
    refused = li.post(f"/m/crm_opportunity/{deal}/do/share", data={
        "user": str(zhao), "role": "presales", "csrf_token": csrf_token(page.text)})
    assert refused.status_code == 403
    # The manager adds zhao.min as pre-sales engineer; without the CSRF token, nothing.
    mgr = client("mgr")
    page = mgr.get(f"/m/crm_opportunity/{deal}")
    assert f'action="/m/crm_opportunity/{deal}/do/share"' in page.text
    assert mgr.post(f"/m/crm_opportunity/{deal}/do/share",
                    data={"user": str(zhao), "role": "presales"}).status_code == 403
    added = mgr.post(f"/m/crm_opportunity/{deal}/do/share", data={
        "user": str(zhao), "team": "", "role": "presales", "csrf_token": csrf_token(page.text)},
        follow_redirects=False)
    assert added.status_code == 303, added.text
    page = mgr.get(f"/m/crm_opportunity/{deal}")
    assert "zhao.min" in page.text and "Pre-sales engineer" in page.text
    assert client("zhao.min").get(f"/m/crm_opportunity/{deal}").status_code == 200
    # A member of the customer's account team shows as such on the deal.
    with system_context(), funnel.kernel.sessions.begin() as session:
        share(session, session.get(Customer, funnel.org.customers["nanjing"]),
              funnel.org.actor(funnel.kernel, "mgr"), {"user": funnel.org.users["wang.qiang"],
                                                       "role": "account"})
    page = mgr.get(f"/m/crm_opportunity/{deal}")
    assert "through Customer 南京华信机电有限公司" in page.text
    # Removed again: zhao.min no longer reaches it.
    removed = mgr.post(f"/m/crm_opportunity/{deal}/do/unshare", data={
        "user": str(zhao), "csrf_token": csrf_token(page.text)}, follow_redirects=False)
    assert removed.status_code == 303
    assert client("zhao.min").get(f"/m/crm_opportunity/{deal}").status_code == 404
