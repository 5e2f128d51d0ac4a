"""The customer 360 page (tabs of enabled addons, chatter, history) and limited sharing
(有限共享) through every door: page, API, export, search, pickers, actions."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from core.testing.web import csrf_token, sign_in
from tests.addons.crm_customer.customer_fixtures import API, CONTACTS, lookup_ids
from tests.core.org_fixtures import PASSWORD


@pytest.fixture()
def pages(app):
    def open_as(login: str) -> TestClient:
        client = TestClient(app, headers={"Accept-Language": "en"})
        return sign_in(client, login, PASSWORD)
    return open_as


def tab_labels(html: str) -> set[str]:
    known = {"Contacts", "Service history", "Downstream customers", "Related customers",
             "Visit notes"}
    return {label for label in known if re.search(rf">\s*{re.escape(label)}\s*<", html)}


def test_the_360_page_shows_the_tabs_of_the_addons_enabled_for_the_user(kernel, as_user, org,
                                                                         pages) -> None:
    ids = lookup_ids(kernel, org.divisions["EAST"])
    li = as_user("li.na")
    nanjing = org.customers["nanjing"]
    li.post(CONTACTS, json={"customer_id": nanjing, "name": "王建国", "title": "采购部经理",
                            "mobile": "13912345678", "decision_role": "decision_maker",
                            "is_key": True})
    li.post("/api/v1/crm_ticket", json={"customer_id": nanjing, "subject": "交货延期两周",
                                        "kind": "complaint"})
    li.patch(f"{API}/{nanjing}", json={"level": "A", "version": 1})
    li.post(f"{API}/{nanjing}/actions/convert", json={"values": {
        "type_id": ids["type:END"], "industry_id": ids["industry:MFG"],
        "address": "南京市江宁区天元东路 1009 号", "phone": "025-52107788"}})
    page = pages("li.na").get(f"/m/crm_customer/{nanjing}")
    assert page.status_code == 200
    html = page.text
    # crm_customer's tabs; cust_visit is enabled in HQ only, so no "Visit notes" in EAST.
    assert tab_labels(html) == {"Contacts", "Service history", "Downstream customers",
                                "Related customers"}
    assert "王建国" in html and "交货延期两周" in html
    chatter = html[html.index('id="chatter"'):]
    assert "Level: — → A: key account" in chatter  # level and status history, from the audit
    assert "Status: Prospect → Formal customer" in chatter
    hq = pages("gm.hq").get(f"/m/crm_customer/{org.customers['hq']}")
    assert hq.status_code == 200 and "Visit notes" in tab_labels(hq.text)


def test_a_rep_cannot_see_or_reach_another_regions_customer(as_user, org, pages) -> None:
    nanjing = org.customers["nanjing"]  # Li Na's, in Nanjing; Wang Qiang covers Zhejiang
    wang = as_user("wang.qiang")
    assert wang.get(f"{API}/{nanjing}").status_code == 404
    assert all(row["id"] != nanjing for row in wang.get(API, params={"q": "华信"}).json()["data"])
    assert wang.patch(f"{API}/{nanjing}", json={"level": "D", "version": 1}).status_code == 404
    assert wang.post(f"{API}/{nanjing}/actions/release",
                     json={"values": {"reason": "不跟了"}}).status_code == 404
    assert wang.get(CONTACTS, params={"customer_id": nanjing}).json()["data"] == []
    browser = pages("wang.qiang")
    assert browser.get(f"/m/crm_customer/{nanjing}").status_code == 404
    listed = browser.get("/m/crm_customer", params={"q": "华信"}).text
    assert "南京华信机电" not in listed and "杭州金桥商贸" not in browser.get(
        "/m/crm_customer", params={"q": "南京"}).text
    assert "南京华信机电" not in browser.get("/m/crm_customer/lookup", params={"q": "华信"}).text
    exported = browser.get("/m/crm_customer/export.csv").content.decode("utf-8-sig")
    assert "杭州金桥商贸有限公司" in exported and "南京华信机电" not in exported
    form = browser.get("/m/crm_customer").text
    stolen = browser.post(f"/m/crm_customer/{nanjing}/do/claim",
                          data={"csrf_token": csrf_token(form)}, follow_redirects=False)
    assert stolen.status_code == 404
    # Her manager sees the whole department, the general manager the whole division.
    assert as_user("mgr").get(f"{API}/{nanjing}").status_code == 200
    assert as_user("gm.east").get(f"{API}/{nanjing}").status_code == 200
    assert as_user("gm.hq").get(f"{API}/{nanjing}").status_code == 200  # headquarters
