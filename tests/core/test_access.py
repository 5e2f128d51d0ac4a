"""Rights and record rules hold for every query, through the ORM itself.

The same matrix runs through the HTTP API and pages in tests/core/test_access_http.py.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.context import acting_as
from core.errors import AccessDenied, NotFound, ValidationError
from tests.core.org_fixtures import build_org

ALL = {"nanjing", "hangzhou", "shanghai", "second", "hq"}
EAST = ALL - {"hq"}
VISIBLE = {
    "li.na": {"nanjing"},  # own, and her province 江苏 (the 南京 customer of zhao.min too)
    "wang.qiang": {"hangzhou"},
    "zhao.min": {"second"},
    "mgr": {"nanjing", "hangzhou", "second"},  # department subtree
    "gm.east": EAST,
    "fin": EAST,
    "svc": EAST,
    "mkt": EAST,
    "gm.hq": ALL,  # headquarters reaches every division
}
VISIBLE["li.na"] = {"nanjing", "second"}  # "second" sits in 南京, her region


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


@pytest.mark.parametrize("login", sorted(VISIBLE))
def test_each_role_lists_counts_and_groups_exactly_what_its_rules_allow(kernel, org, login) -> None:
    expected = {org.customers[key] for key in VISIBLE[login]}
    with acting_as(org.actor(kernel, login)), kernel.session() as session:
        listed = set(session.scalars(sa.select(Customer.id)))
        counted = session.scalar(sa.select(sa.func.count()).select_from(Customer))
        grouped = dict(session.execute(
            sa.select(Customer.division_id, sa.func.count(Customer.id)).group_by(Customer.division_id)
        ).all())
        summed = session.scalar(sa.select(sa.func.sum(Customer.id)))
        by_id = {key: session.get(Customer, cid) is not None for key, cid in org.customers.items()}
    assert listed == expected
    assert counted == len(expected)
    assert sum(grouped.values()) == len(expected)
    assert (summed or 0) == sum(expected)
    assert {key for key, seen in by_id.items() if seen} == VISIBLE[login]


def test_a_rep_cannot_change_or_delete_another_regions_customer(kernel, org) -> None:
    with acting_as(org.actor(kernel, "li.na")):
        with kernel.sessions.begin() as session:
            session.get(Customer, org.customers["nanjing"]).phone = "025-12345678"
        with pytest.raises(NotFound), kernel.sessions.begin() as session:
            session.merge(Customer(id=org.customers["hangzhou"], name="改名", code="X",
                                   version=1))
        with kernel.sessions.begin() as session:
            hit = session.execute(
                sa.update(Customer).where(Customer.id == org.customers["hangzhou"])
                .values(phone="000")
            )
            assert hit.rowcount == 0
        with pytest.raises(AccessDenied), kernel.sessions.begin() as session:
            session.delete(session.get(Customer, org.customers["nanjing"]))
    with kernel.session() as session:
        assert session.get(Customer, org.customers["hangzhou"]).name == "杭州金桥商贸有限公司"
        assert session.get(Customer, org.customers["nanjing"]).phone == "025-12345678"


def test_rights_are_per_role(kernel, org) -> None:
    with acting_as(org.actor(kernel, "fin")):
        with pytest.raises(AccessDenied), kernel.sessions.begin() as session:
            session.get(Customer, org.customers["nanjing"]).phone = "1"
        with pytest.raises(AccessDenied), kernel.sessions.begin() as session:
            session.add(Customer(name="新客户", code="N1"))
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        session.delete(session.get(Customer, org.customers["second"]))
    with kernel.session() as session:
        assert session.get(Customer, org.customers["second"]) is None


def test_new_records_land_in_the_users_division_and_must_stay_visible(kernel, org) -> None:
    with acting_as(org.actor(kernel, "li.na")):
        with kernel.sessions.begin() as session:
            mine = Customer(name="无锡新元化工有限公司", code="WX1")
            session.add(mine)
        assert mine.division_id == org.divisions["EAST"]
        assert mine.owner_id == org.users["li.na"]
        with pytest.raises(AccessDenied), kernel.sessions.begin() as session:
            session.add(Customer(name="别人的", code="WX2", division_id=org.divisions["HQ"]))
        # Giving a record to someone else is a hand-over, which a rep may not do (#13).
        with pytest.raises(ValidationError, match="hand-over"), kernel.sessions.begin() as session:
            session.add(Customer(name="送给别人", code="WX3", owner_id=org.users["wang.qiang"]))


def test_an_addon_disabled_for_the_division_is_unreachable(kernel, org) -> None:
    from core.installer import disable, enable

    actor = org.actor(kernel, "gm.east")
    disable(kernel, "crm_funnel", "EAST")
    with acting_as(actor), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Customer)) == len(EAST)
    # crm_team came with crm_funnel (its dependency) and stays enabled without it.
    assert kernel.registry.enabled_for(org.divisions["EAST"]) == frozenset(
        {"crm_customer", "crm_team"})
    enable(kernel, "crm_funnel", "EAST")
