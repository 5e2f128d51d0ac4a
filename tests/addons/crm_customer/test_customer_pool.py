"""The public pool (公海): claims within the daily limit, assignment, release, pool rules."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import ClaimLimit, Customer, PoolRule
from core.audit import Activity, FieldChange
from core.context import system_context
from core.jobs import run_jobs
from core.models import Region, User
from core.orm import utcnow
from core.testing.web import csrf_token, sign_in
from tests.addons.crm_customer.customer_fixtures import API
from tests.core.org_fixtures import PASSWORD


def pool_customers(kernel, org, names: list[str], region: str | None = None) -> list[int]:
    """Ownerless EAST customers in `region` (a city code), or without a region."""
    with system_context(), kernel.sessions.begin() as session:
        region_id = session.scalar(sa.select(Region.id).where(Region.code == region)) \
            if region else None
        rows = [Customer(division_id=org.divisions["EAST"], name=name, code=f"POOL-{name[:2]}-{n}",
                         region_id=region_id)
                for n, name in enumerate(names)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def set_limit(kernel, org, role: str, limit: int) -> None:
    with system_context(), kernel.sessions.begin() as session:
        session.execute(sa.update(ClaimLimit).where(
            ClaimLimit.division_id == org.divisions["EAST"], ClaimLimit.role == role)
            .values(daily_limit=limit))


def test_a_rep_claims_pool_customers_of_her_region_up_to_the_daily_limit(kernel, as_user,
                                                                          org) -> None:
    first, second = pool_customers(kernel, org, ["南京天成物流有限公司", "南京博远化工有限公司"],
                                   region="320100")
    [third] = pool_customers(kernel, org, ["杭州永盛商贸有限公司"], region="330100")
    set_limit(kernel, org, "sales_rep", 1)
    li, wang = as_user("li.na"), as_user("wang.qiang")
    pooled = {row["id"] for row in li.get(API, params={"owner_id__isnull": "1"}).json()["data"]}
    assert {first, second} <= pooled and third not in pooled  # the pool of her region
    claimed = li.post(f"{API}/{first}/actions/claim", json={})
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["record"]["owner_id"]["id"] == org.users["li.na"]
    over = li.post(f"{API}/{second}/actions/claim", json={})
    assert over.status_code == 422 and "1" in over.json()["error"]["message"]
    assert li.post(f"{API}/{third}/actions/claim", json={}).status_code == 404
    assert wang.post(f"{API}/{third}/actions/claim", json={}).status_code == 200
    assert wang.post(f"{API}/{first}/actions/claim", json={}).status_code == 404
    assert wang.post(f"{API}/{first}/actions/release",
                     json={"values": {"reason": "抢客户"}}).status_code == 404
    # Li Na sees Zhao Min's customer in Nanjing (her region) but may not drop it in the pool.
    colleagues = li.post(f"{API}/{org.customers['second']}/actions/release",
                         json={"values": {"reason": "长期无人跟进"}})
    assert colleagues.status_code == 403
    released = li.post(f"{API}/{first}/actions/release",
                       json={"values": {"reason": "客户已转由代理商服务"}})
    assert released.status_code == 200
    back = as_user("mgr").get(f"{API}/{first}").json()
    assert back["owner_id"] is None and back["pool_reason"] == "客户已转由代理商服务"


def test_a_manager_assigns_pool_customers_to_a_rep_in_one_bulk_action(app, kernel, as_user,
                                                                      org) -> None:
    ids = pool_customers(kernel, org, ["泰州新元医药有限公司", "盐城宏达机电有限公司"])
    manager = sign_in(TestClient(app), "mgr", PASSWORD)
    token = csrf_token(manager.get("/m/crm_customer").text)
    answer = manager.post("/m/crm_customer/bulk", data={
        "csrf_token": token, "action": "assign", "ids": [str(i) for i in ids],
        "assign.owner": str(org.users["wang.qiang"])}, follow_redirects=False)
    assert answer.status_code == 303, answer.text[-500:]
    wang = as_user("wang.qiang")
    assert {wang.get(f"{API}/{i}").json()["owner_id"]["id"] for i in ids} == {
        org.users["wang.qiang"]}
    rep_tries = as_user("li.na").post(f"{API}/{ids[0]}/actions/assign",
                                      json={"values": {"owner": org.users["li.na"]}})
    assert rep_tries.status_code in (403, 404)


def test_pool_rules_return_neglected_customers_and_those_of_staff_who_left(kernel, org) -> None:
    long_ago = utcnow() - dt.timedelta(days=120)
    with system_context(), kernel.sessions.begin() as session:
        for key in ("nanjing", "hangzhou", "second"):
            customer = session.get(Customer, org.customers[key])
            customer.owner_since, customer.level = long_ago, "B"
        # Hangzhou was visited last week: followed up, it stays.
        session.add(Activity(model="crm_customer", res_id=org.customers["hangzhou"], kind="visit",
                             summary="拜访采购部", done=True, done_date=utcnow() - dt.timedelta(days=7)))
        session.get(User, org.users["zhao.min"]).active = False
        session.execute(sa.update(PoolRule).where(PoolRule.division_id == org.divisions["EAST"],
                                                  PoolRule.kind == "no_follow_up")
                        .values(days=90, levels="BCD"))
    results = run_jobs(kernel, only=["crm_customer.pool_return"])
    by_division = {result.division: result.changed for result in results}
    # XT: this folder's extra division (tests/addons/crm_customer/conftest.py), no customers.
    assert by_division == {"HQ": 0, "EAST": 2, "XT": 0}
    with system_context(), kernel.session() as session:
        owners = {key: session.get(Customer, cid).owner_id for key, cid in org.customers.items()
                  if key in ("nanjing", "hangzhou", "second")}
        assert owners == {"nanjing": None, "hangzhou": org.users["wang.qiang"], "second": None}
        reasons = dict(session.execute(sa.select(FieldChange.res_id, FieldChange.reason).where(
            FieldChange.model == "crm_customer", FieldChange.field == "owner_id")).all())
        assert reasons[org.customers["second"]] == "Pool rule: the owner has left"
        assert reasons[org.customers["nanjing"]] == "Pool rule: no follow-up for 90 days"
        assert session.get(Customer, org.customers["nanjing"]).pool_reason == reasons[
            org.customers["nanjing"]]
    assert run_jobs(kernel, only=["crm_customer.pool_return"])[1].changed == 0


def test_a_leaving_reps_customers_are_handed_over_in_one_action(kernel, as_user, org) -> None:
    extra = as_user("li.na").post(API, json={"name": "南京瑞丰电气有限公司", "code": "NJ-RF"}).json()
    manager = as_user("mgr")
    answer = manager.post(f"{API}/{org.customers['nanjing']}/actions/hand_over", json={
        "values": {"to_user": org.users["wang.qiang"], "reason": "李娜离职，客户移交王强"}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["message"] == "2 customers handed over."
    wang = as_user("wang.qiang")
    assert wang.get(f"{API}/{extra['id']}").json()["owner_id"]["id"] == org.users["wang.qiang"]
    with system_context(), kernel.session() as session:
        reasons = set(session.scalars(sa.select(FieldChange.reason).where(
            FieldChange.field == "owner_id", FieldChange.res_id == extra["id"])))
    assert reasons == {"李娜离职，客户移交王强"}
    refused = as_user("wang.qiang").post(f"{API}/{extra['id']}/actions/hand_over", json={
        "values": {"to_user": org.users["li.na"], "reason": "试试"}})
    assert refused.status_code == 403
