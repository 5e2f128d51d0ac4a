"""Reassigning a leaving rep's customers: one action, a few statements, a full trail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.audit import FieldChange
from core.context import acting_as, system_context
from core.errors import AccessDenied, ValidationError
from core.models import Department, Region, Role, User
from core.reassign import reassign, reassign_all
from tests.core.org_fixtures import Org, build_org

REASON = "离职交接 (leaving)"


@pytest.fixture()
def org(kernel) -> Org:
    org = build_org(kernel)
    with system_context(), kernel.sessions.begin() as session:
        # A rep outside the sales department, who is leaving.
        leaver = User(login="sun.li", name="孙丽", division_id=org.divisions["EAST"])
        leaver.roles = [session.get(Role, "sales_rep")]
        retired = User(login="old.hand", name="老王", division_id=org.divisions["EAST"],
                       active=False)
        session.add_all([leaver, retired])
        session.flush()
        org.users.update({"sun.li": leaver.id, "old.hand": retired.id})
    return org


def _add_customers(kernel, org: Org, count: int, *, prefix: str, department: str | None) -> None:
    """`count` customers of sun.li, with one bulk insert."""
    with system_context(), kernel.sessions.begin() as session:
        region = session.scalar(sa.select(Region.id).where(Region.code == "310115"))
        department_id = session.scalar(sa.select(Department.id).where(
            Department.code == department)) if department else None
        session.execute(sa.insert(Customer), [
            {"division_id": org.divisions["EAST"], "name": f"批量客户 {prefix}{i}",
             "code": f"{prefix}{i:04d}", "owner_id": org.users["sun.li"], "region_id": region,
             "department_id": department_id}
            for i in range(count)
        ])


@contextmanager
def _statements(kernel) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(statement)

    sa.event.listen(kernel.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(kernel.engine, "before_cursor_execute", count)


def _owned_by(kernel, user_id: int) -> int:
    with system_context(), kernel.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Customer)
                              .where(Customer.owner_id == user_id))


def _move(kernel, org: Org, login: str, to: str) -> tuple[int, list[str]]:
    with acting_as(org.actor(kernel, login)), kernel.sessions.begin() as session:
        with _statements(kernel) as seen:
            moved = reassign(session, Customer, from_user_id=org.users["sun.li"],
                             to_user_id=org.users[to], reason=REASON)
    return moved, seen


def test_a_leaving_reps_thousand_customers_move_in_a_few_statements(kernel, org) -> None:
    _add_customers(kernel, org, 10, prefix="S", department=None)
    small, small_statements = _move(kernel, org, "gm.east", "li.na")
    _add_customers(kernel, org, 1000, prefix="B", department=None)
    moved, statements = _move(kernel, org, "gm.east", "wang.qiang")
    assert (small, moved) == (10, 1000)
    assert len(statements) <= 10, statements
    assert len(statements) == len(small_statements)
    assert _owned_by(kernel, org.users["sun.li"]) == 0
    assert _owned_by(kernel, org.users["wang.qiang"]) == 1001  # with 杭州金桥
    with system_context(), kernel.session() as session:
        trail = list(session.scalars(sa.select(FieldChange).where(
            FieldChange.new_value == str(org.users["wang.qiang"]))))
        departments = set(session.scalars(sa.select(Customer.department_id).where(
            Customer.owner_id == org.users["wang.qiang"])))
        team = session.scalar(sa.select(Department.id).where(Department.code == "S1"))
    assert len(trail) == 1000
    assert {(c.field, c.old_value, c.reason, c.user_id) for c in trail} == {
        ("owner_id", str(org.users["sun.li"]), REASON, org.users["gm.east"])}
    assert departments == {team}  # the new owner's department


def test_a_rep_cannot_reassign(kernel, org) -> None:
    _add_customers(kernel, org, 3, prefix="R", department="S1")
    with pytest.raises(AccessDenied):
        _move(kernel, org, "li.na", "li.na")
    with pytest.raises(AccessDenied):
        _move(kernel, org, "fin", "li.na")  # finance may not even change customers
    assert _owned_by(kernel, org.users["sun.li"]) == 3


def test_a_manager_moves_only_what_they_can_see(kernel, org) -> None:
    _add_customers(kernel, org, 3, prefix="IN", department="S1")  # under mgr's department
    _add_customers(kernel, org, 2, prefix="OUT", department=None)  # outside mgr's reach
    moved, _ = _move(kernel, org, "mgr", "li.na")
    assert moved == 3
    assert _owned_by(kernel, org.users["sun.li"]) == 2
    with system_context(), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(FieldChange)) == 3


def test_the_new_owner_must_be_active_and_within_reach(kernel, org) -> None:
    _add_customers(kernel, org, 1, prefix="V", department="S1")
    for to in ("old.hand", "gm.hq", "sun.li"):
        with pytest.raises(ValidationError) as error:
            _move(kernel, org, "mgr", to)
        assert set(error.value.fields) == {"to_user"}
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        with pytest.raises(ValidationError) as error:
            reassign(session, Customer, from_user_id=org.users["sun.li"],
                     to_user_id=org.users["li.na"], reason="  ")
        assert set(error.value.fields) == {"reason"}


def test_reassign_all_covers_the_models_with_an_owner(kernel, org) -> None:
    _add_customers(kernel, org, 4, prefix="A", department="S1")
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        counts = reassign_all(session, from_user_id=org.users["sun.li"],
                              to_user_id=org.users["wang.qiang"], reason=REASON,
                              models=[Customer, User])
    assert counts == {"crm_customer": 4}
