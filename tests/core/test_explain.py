""""Why can I (not) see this?" names the check that decides, in both languages."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.access.explain import explain
from core.context import acting_as, system_context
from core.errors import AccessDenied
from core.i18n import using_locale
from core.models import User
from core.org import actor_for
from tests.core.org_fixtures import build_org


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


def _explain(kernel, org, login: str, customer: str):
    """Why `login` sees the customer, asked by an administrator (here the system)."""
    actor = org.actor(kernel, login)
    with system_context(), kernel.session() as session:
        return explain(session, actor, Customer, org.customers[customer])


def test_a_rep_is_told_which_rule_fails_and_why(kernel, org) -> None:
    found = _explain(kernel, org, "li.na", "hangzhou")
    assert (found.exists, found.visible, found.reason) == (True, False, "no_match")
    # The roles' own rule, and the kernel's sharing rule of a shareable model (#14).
    rule, shared = found.rules
    assert rule.roles == ("sales_rep",) and not rule.matches
    assert {scope.describe(): met for scope, met in rule.conditions} == {
        "own records": False, "own regions": False, "own product lines": True}
    assert shared.scope.describe() == "records shared with the user or the user's team"
    assert not shared.matches
    assert found.reason_text() == (
        "No rule of your roles matches it (not met: own records, own regions, "
        "records shared with the user or the user's team).")
    assert "Sales rep: read, create, change" in found.lines()
    assert found.lines()[-1].startswith("Not visible: ")


def test_a_rep_is_told_which_rule_grants_a_visible_customer(kernel, org) -> None:
    found = _explain(kernel, org, "li.na", "second")  # zhao.min's, but in her province
    assert (found.visible, found.reason) == (True, "granted")
    assert found.reason_text() == (
        "Granted by the rule for Sales rep: own records or own regions and own product lines.")
    assert ("Rule for Sales rep: own records or own regions and own product lines"
            " — matches this record") in found.lines()
    assert _explain(kernel, org, "fin", "second").reason_text() == (
        "Granted by the rule for Finance: whole division.")


def test_another_divisions_record_is_outside_your_division(kernel, org) -> None:
    found = _explain(kernel, org, "li.na", "hq")
    assert (found.visible, found.reason, found.in_division) == (False, "outside_division", False)
    assert "outside your division" in found.reason_text()
    assert _explain(kernel, org, "gm.hq", "hq").visible  # headquarters reaches every division


def test_an_administrator_sees_by_being_admin(kernel, org) -> None:
    with system_context(), kernel.session() as session:
        admin = actor_for(session, session.scalar(sa.select(User).where(User.login == "admin")))
        found = explain(session, admin, Customer, org.customers["shanghai"])
    assert (found.visible, found.reason, found.rules) == (True, "admin", ())
    assert "Administrator: all rights" in found.lines()


def test_models_without_rules_and_disabled_addons(kernel, org, monkeypatch) -> None:
    monkeypatch.delitem(kernel.policy.rules, Customer)
    found = _explain(kernel, org, "li.na", "hangzhou")
    assert (found.visible, found.reason) == (True, "no_rules")
    assert "Customer has no record rules: the whole division." in found.lines()
    monkeypatch.setattr(kernel.policy, "enabled", lambda division_id: frozenset())
    found = _explain(kernel, org, "li.na", "hangzhou")
    assert (found.visible, found.reason) == (False, "addon_disabled")
    assert found.reason_text() == (
        "The addon crm_customer that provides Customer is not enabled for your division.")


def test_only_an_administrator_may_ask(kernel, org) -> None:
    actor = org.actor(kernel, "li.na")
    with acting_as(actor), kernel.session() as session, pytest.raises(AccessDenied):
        explain(session, actor, Customer, org.customers["hangzhou"])


def test_a_missing_record_and_the_api_form(kernel, org) -> None:
    actor = org.actor(kernel, "li.na")
    with system_context(), kernel.session() as session:
        missing = explain(session, actor, Customer, 10**9)
    assert (missing.exists, missing.visible, missing.reason) == (False, False, "missing")
    data = _explain(kernel, org, "li.na", "hangzhou").as_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["model"] == "crm_customer"
    assert data["rights"] == {"sales_rep": ["read", "create", "write"]}
    assert data["rules"][0]["conditions"][1] == {"scope": "own regions", "met": False}


def test_the_explanation_speaks_chinese(kernel, org) -> None:
    found = _explain(kernel, org, "li.na", "hangzhou")
    with using_locale("en"):
        english = found.lines()
    with using_locale("zh_CN"):
        chinese = found.lines()
    assert len(chinese) == len(english)
    assert all(zh != en for zh, en in zip(chinese, english, strict=True))
