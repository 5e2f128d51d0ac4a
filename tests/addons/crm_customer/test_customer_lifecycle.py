"""Duplicates and merging, conversion to a formal customer, a service ticket's life (API)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Contact, Customer, ProblemType, Ticket
from core.audit import FieldChange, Note
from core.context import system_context
from core.lookups import usable_in
from core.orm import Base
from core.workflow.models import ApprovalChain, ChainStep
from tests.addons.crm_customer.customer_fixtures import API, CONTACTS, lookup_ids

TICKETS = "/api/v1/crm_ticket"


def act(caller, url: str, name: str, **body):
    return caller.post(f"{url}/actions/{name}", json=body)


# ------------------------------------------------------------------ duplicates


def test_a_customer_like_an_existing_one_is_refused_until_confirmed(as_user, org) -> None:
    li, wang = as_user("li.na"), as_user("wang.qiang")
    same_name = li.post(API, json={"name": "南京华信机电有限公司", "code": "NJ-9"})
    assert same_name.status_code == 422
    error = same_name.json()["error"]
    assert "NANJING" in error["message"] and "li.na" in error["message"]
    assert set(error["fields"]) == {"name"}
    aliased = li.post(API, json={"name": "无锡瑞丰医药有限公司", "code": "WX-1",
                                 "aliases": "瑞丰医药, 无锡瑞丰", "tax_code": "91320200MA1RF0001X"})
    assert aliased.status_code == 201, aliased.text
    by_alias = li.post(API, json={"name": "无锡瑞丰", "code": "WX-2"})
    assert by_alias.status_code == 422 and "WX-1" in by_alias.json()["error"]["message"]
    by_tax = li.post(API, json={"name": "瑞丰医药（无锡）", "code": "WX-3",
                                "tax_code": "91320200ma1rf0001x"})
    assert set(by_tax.json()["error"]["fields"]) == {"tax_code"}
    # Wang cannot see Li Na's customer: he learns that it exists, not which or whose (#13).
    li.patch(f"{API}/{org.customers['nanjing']}", json={"phone": "025-84561234", "version": 1})
    by_phone = wang.post(API, json={"name": "华信机电南京分公司", "code": "HX-NJ",
                                    "phone": "025-84561234"})
    assert by_phone.status_code == 422
    assert set(by_phone.json()["error"]["fields"]) == {"phone"}
    hidden = by_phone.json()["error"]["message"]
    assert "ask your manager" in hidden and "NANJING" not in hidden and "li.na" not in hidden
    confirmed = wang.post(API, json={"name": "华信机电南京分公司", "code": "HX-NJ",
                                     "phone": "025-84561234", "not_duplicate": True})
    assert confirmed.status_code == 201, confirmed.text


@pytest.fixture()
def visits_table(kernel):
    """A table of "another addon" that points at customers, known only to the metadata."""
    table = sa.Table("test_other_visit", Base.metadata,
                     sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("customer_id", sa.ForeignKey("crm_customer.id")),
                     sa.Column("summary", sa.String(100)))
    table.create(kernel.engine)
    yield table
    table.drop(kernel.engine)
    Base.metadata.remove(table)


def test_merging_moves_every_linked_record_and_keeps_an_alias(kernel, as_user, org,
                                                              visits_table) -> None:
    li, manager = as_user("li.na"), as_user("mgr")
    survivor = org.customers["nanjing"]
    twin = li.post(API, json={"name": "华信机电", "code": "NJ-HX", "aliases": "南京华信",
                              "phone": "025-84560000", "not_duplicate": True}).json()["id"]
    contact = li.post(CONTACTS, json={"customer_id": twin, "name": "刘芳", "title": "采购主管",
                                      "mobile": "13851234567"}).json()["id"]
    ticket = li.post(TICKETS, json={"customer_id": twin, "subject": "变频器报警 E07",
                                    "kind": "complaint"}).json()["id"]
    store = li.post(API, json={"name": "华信机电江宁门店", "code": "NJ-HX-01",
                               "upstream_id": twin}).json()["id"]
    with system_context(), kernel.sessions.begin() as session:
        session.add(Note(model="crm_customer", res_id=twin, body="客户要求下周报价"))
        session.execute(sa.insert(visits_table).values(customer_id=twin, summary="上门拜访"))
    refused = act(li, f"{API}/{twin}", "merge", values={"survivor": survivor})
    assert refused.status_code == 403
    merged = act(manager, f"{API}/{twin}", "merge", values={"survivor": survivor})
    assert merged.status_code == 200, merged.text
    assert merged.json()["record"] is None
    assert manager.get(f"{API}/{twin}").status_code == 404
    kept = manager.get(f"{API}/{survivor}").json()
    assert kept["aliases"] == "华信机电, 南京华信" and kept["phone"] == "025-84560000"
    with system_context(), kernel.session() as session:
        assert session.get(Contact, contact).customer_id == survivor
        assert session.get(Ticket, ticket).customer_id == survivor
        assert session.get(Customer, store).upstream_id == survivor
        assert session.scalar(sa.select(visits_table.c.customer_id)) == survivor
        notes = session.scalars(sa.select(Note.body).where(Note.res_id == survivor,
                                                           Note.model == "crm_customer")).all()
        assert "客户要求下周报价" in notes and any("NJ-HX" in note for note in notes)
    same_again = li.post(API, json={"name": "南京华信", "code": "NJ-X"})
    assert same_again.status_code == 422 and "NANJING" in same_again.json()["error"]["message"]
    assert act(manager, f"{API}/{survivor}", "merge",
               values={"survivor": survivor}).status_code == 422


# ------------------------------------------------------------------ conversion


def test_converting_to_a_formal_customer_needs_its_fields(kernel, as_user, org) -> None:
    ids = lookup_ids(kernel, org.divisions["EAST"])
    li = as_user("li.na")
    url = f"{API}/{org.customers['nanjing']}"
    missing = act(li, url, "convert")
    assert missing.status_code == 422
    assert set(missing.json()["error"]["fields"]) == {"type_id", "industry_id", "address", "phone"}
    converted = act(li, url, "convert", values={
        "type_id": ids["type:END"], "industry_id": ids["industry:MFG"],
        "address": "南京市江宁区天元东路 1009 号", "phone": "025-52107788"})
    assert converted.status_code == 200, converted.text
    assert converted.json()["status"] == "formal"
    direct = li.patch(url, json={"status": "lost", "version": converted.json()["version"]})
    assert direct.status_code == 422  # the status changes through actions only
    assert act(li, url, "stop").json()["status"] == "stopped"
    with system_context(), kernel.session() as session:
        changes = session.execute(sa.select(FieldChange.old_value, FieldChange.new_value).where(
            FieldChange.model == "crm_customer", FieldChange.res_id == org.customers["nanjing"],
            FieldChange.field == "status").order_by(FieldChange.id)).all()
    assert [tuple(c) for c in changes] == [("prospect", "formal"), ("formal", "stopped")]


def test_a_division_with_a_conversion_chain_approves_conversions(kernel, as_user, org) -> None:
    ids = lookup_ids(kernel, org.divisions["EAST"])
    with system_context(), kernel.sessions.begin() as session:
        chain = ApprovalChain(division_id=org.divisions["EAST"], name="转正审批",
                              model="crm_customer", transition="submit_conversion")
        session.add(chain)
        session.flush()
        session.add(ChainStep(division_id=org.divisions["EAST"], chain_id=chain.id, sequence=10,
                              name="销售经理审批", kind="role", role="sales_manager"))
    li, manager = as_user("li.na"), as_user("mgr")
    url = f"{API}/{org.customers['nanjing']}"
    details = {"type_id": ids["type:DESIGN"], "industry_id": ids["industry:CONS"],
               "address": "南京市鼓楼区中山北路 30 号", "phone": "025-83301234"}
    direct = act(li, url, "convert", values=details)
    assert direct.status_code == 409 and "submit" in direct.json()["error"]["message"]
    submitted = act(li, url, "submit_conversion", values=details)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "converting"
    locked = li.patch(url, json={"level": "A", "version": submitted.json()["version"]})
    assert locked.status_code == 422
    approved = act(manager, url, "approve_conversion")
    assert approved.status_code == 200, approved.text
    assert li.get(url).json()["status"] == "formal"


# ------------------------------------------------------------------- tickets


def test_a_complaint_goes_from_new_to_closed_with_a_satisfaction_score(kernel, as_user,
                                                                       org) -> None:
    li, service, wang = as_user("li.na"), as_user("svc"), as_user("wang.qiang")
    with system_context(), kernel.session() as session:
        quality = session.scalar(sa.select(ProblemType.id).where(
            ProblemType.code == "QUALITY", usable_in(ProblemType, org.divisions["EAST"])))
    filed = li.post(TICKETS, json={
        "customer_id": org.customers["nanjing"], "kind": "complaint", "channel": "phone",
        "subject": "三台变频器运行中频繁报过压故障", "problem_type_id": quality, "priority": "high",
        "description": "客户反映 6 月到货的 G7 变频器在轻载时报 OU2 故障，影响生产线。"})
    assert filed.status_code == 201, filed.text
    ticket = filed.json()
    url = f"{TICKETS}/{ticket['id']}"
    created = dt.datetime.fromisoformat(ticket["write_date"].rstrip("Z"))
    due = dt.datetime.fromisoformat(ticket["due_at"].rstrip("Z"))
    assert ticket["state"] == "new" and dt.timedelta(hours=23) < due - created <= dt.timedelta(hours=24)
    assert wang.get(url).status_code == 404
    assert act(li, url, "assign", values={"assignee_id": org.users["svc"]}).status_code == 409
    assigned = act(service, url, "assign", values={"assignee_id": org.users["svc"]})
    assert assigned.json()["state"] == "assigned"
    assert act(service, url, "resolve").status_code == 422
    resolved = act(service, url, "resolve", values={"resolution": "上门调整减速时间参数并升级固件，试运行 48 小时无报警。"})
    assert resolved.json()["state"] == "resolved"
    with system_context(), kernel.session() as session:
        assert session.get(Ticket, ticket["id"]).resolved_at >= created
    assert act(li, url, "confirm").json()["state"] == "confirmed"
    no_score = act(service, url, "close")
    assert no_score.status_code == 422 and set(no_score.json()["error"]["fields"]) == {"satisfaction"}
    closed = act(service, url, "close", values={"satisfaction": "4"})
    assert closed.json()["state"] == "closed"
    assert service.patch(url, json={"subject": "改", "version": closed.json()["version"]}).status_code == 422
    history = li.get(TICKETS, params={"customer_id": org.customers["nanjing"]}).json()["data"]
    assert [(row["subject"], row["state"], row["satisfaction"]) for row in history] == [
        ("三台变频器运行中频繁报过压故障", "closed", "4")]
