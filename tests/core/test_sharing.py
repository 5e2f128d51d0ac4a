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
from core.sharing import RecordShare, share, unshare
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
