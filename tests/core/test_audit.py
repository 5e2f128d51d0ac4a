"""Tracked fields leave a trail; notes and activities follow the record's visibility."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.audit import (
    FieldChange,
    Note,
    add_activity,
    add_note,
    chatter,
    history,
    mark_done,
)
from core.context import acting_as, system_context
from core.errors import Conflict, NotFound, ValidationError
from tests.core.org_fixtures import build_org


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


def _trail(kernel) -> list[FieldChange]:
    with system_context(), kernel.session() as session:
        return list(session.scalars(sa.select(FieldChange).order_by(FieldChange.id)))


def test_changing_the_owner_records_old_new_and_who(kernel, org) -> None:
    nanjing = org.customers["nanjing"]
    with acting_as(org.actor(kernel, "mgr")):
        with kernel.sessions.begin() as session:
            session.get(Customer, nanjing).owner_id = org.users["wang.qiang"]
        with kernel.session() as session:
            rows = history(session, Customer, nanjing)
    assert [(r.model, r.res_id, r.field) for r in rows] == [("crm_customer", nanjing, "owner_id")]
    assert rows[0].old_value == str(org.users["li.na"])
    assert rows[0].new_value == str(org.users["wang.qiang"])
    assert rows[0].user_id == org.users["mgr"]
    assert rows[0].reason is None


def test_the_old_value_is_kept_even_when_the_record_was_expired(kernel, org) -> None:
    nanjing = org.customers["nanjing"]
    with system_context(), kernel.sessions.begin() as session:
        customer = session.get(Customer, nanjing)
        session.expire(customer)
        customer.owner_id = None
    with system_context(), kernel.session() as session:
        newest = history(session, Customer, nanjing)[0]
    assert (newest.old_value, newest.new_value, newest.user_id) == (
        str(org.users["li.na"]), None, None)


def test_untracked_fields_and_unchanged_values_write_nothing(kernel, org) -> None:
    with acting_as(org.actor(kernel, "li.na")), kernel.sessions.begin() as session:
        customer = session.get(Customer, org.customers["nanjing"])
        customer.note = "下周回访"  # not a tracked field (#18 tracks phone, address, …)
        customer.owner_id = org.users["li.na"]  # the same owner again
    assert _trail(kernel) == []


def test_notes_and_activities_on_a_visible_customer(kernel, org) -> None:
    nanjing = org.customers["nanjing"]
    with acting_as(org.actor(kernel, "li.na")), kernel.sessions.begin() as session:
        customer = session.get(Customer, nanjing)
        note = add_note(session, customer, "  客户要求下周报价  ")
        call = add_activity(session, customer, kind="call", summary="回访报价",
                            due_date=dt.date(2026, 3, 2), assignee_id=org.users["li.na"])
        mark_done(session, call.id, result="已约拜访")
    # Giving the customer to someone else is a hand-over: the manager's right (#13).
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        customer = session.get(Customer, nanjing)
        customer.owner_id = org.users["zhao.min"]
        session.flush()
        items = chatter(session, customer)
    assert note.body == "客户要求下周报价"
    assert {item.kind for item in items} == {"note", "activity", "change"}
    assert [item.date for item in items] == sorted((item.date for item in items), reverse=True)
    by_kind = {item.kind: item for item in items}
    assert by_kind["note"].user == "li.na"
    assert by_kind["activity"].done is True
    assert "Call: 回访报价" in by_kind["activity"].text
    assert "已约拜访" in by_kind["activity"].text
    assert by_kind["change"].text == "Owner: li.na → zhao.min"
    assert by_kind["change"].user == "mgr"


def test_notes_and_activities_are_validated(kernel, org) -> None:
    with acting_as(org.actor(kernel, "li.na")), kernel.sessions.begin() as session:
        customer = session.get(Customer, org.customers["nanjing"])
        for body in ("   ", "字" * 10_001):
            with pytest.raises(ValidationError) as error:
                add_note(session, customer, body)
            assert set(error.value.fields) == {"body"}
        with pytest.raises(ValidationError) as error:
            add_activity(session, customer, kind="lunch", summary="吃饭")
        assert set(error.value.fields) == {"kind"}
        with pytest.raises(ValidationError) as error:
            add_activity(session, customer, kind="task", summary="")
        assert set(error.value.fields) == {"summary"}
        task = add_activity(session, customer, kind="task", summary="寄样品")
        mark_done(session, task.id)
        with pytest.raises(Conflict):
            mark_done(session, task.id)


def test_a_rep_gets_no_chatter_of_a_customer_they_cannot_see(kernel, org) -> None:
    hangzhou = org.customers["hangzhou"]
    with system_context(), kernel.sessions.begin() as session:
        customer = session.get(Customer, hangzhou)
        add_note(session, customer, "内部备注")
        task = add_activity(session, customer, kind="visit", summary="拜访")
    with acting_as(org.actor(kernel, "li.na")), kernel.sessions.begin() as session:
        with pytest.raises(NotFound):
            chatter(session, customer)
        with pytest.raises(NotFound):
            history(session, Customer, hangzhou)
        with pytest.raises(NotFound):
            add_note(session, customer, "偷看")
        with pytest.raises(NotFound):
            mark_done(session, task.id)
    with system_context(), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Note)) == 1
