"""Notes, activities, history and "why can they see it?" on a record's page."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.core.org_fixtures import PASSWORD, build_org

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


@pytest.fixture()
def app(kernel):
    return create_app(kernel=kernel)


def post(client: TestClient, page_url: str, action: str, data: dict) -> int:
    token = csrf_token(client.get(page_url).text)
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False).status_code


def test_a_rep_notes_plans_and_closes_a_visit_and_the_owner_change_shows(app, org) -> None:
    rep = sign_in(TestClient(app), "li.na", PASSWORD)
    url = f"/m/crm_customer/{org.customers['nanjing']}"
    assert post(rep, url, url + "/note", {"body": "客户要求周五前报价"}) == 303
    assert post(rep, url, url + "/activity", {"kind": "visit", "summary": "上门拜访采购部",
                                              "due_date": "2026-12-01"}) == 303
    page = rep.get(url).text
    assert "客户要求周五前报价" in page and "上门拜访采购部" in page
    done = re.search(r'/activities/(\d+)/done', page).group(1)
    assert post(rep, url, f"{url}/activities/{done}/done", {"result": "已见到王经理"}) == 303
    assert "已见到王经理" in rep.get(url).text
    assert post(rep, url, url + "/note", {"body": "   "}) == 422

    admin = sign_in(TestClient(app), "admin", ADMIN_PASSWORD)
    form = admin.get(url).text
    data = {"csrf_token": csrf_token(form), "version": re.search(r'name="version" value="(\d+)"', form).group(1),
            "name": "南京华信机电有限公司", "code": "NANJING", "status": "formal",
            "owner_id": str(org.users["wang.qiang"])}
    assert admin.post(url, data=data, follow_redirects=False).status_code == 303
    assert "wang.qiang" in admin.get(url, headers={"Accept-Language": "en"}).text


def test_others_cannot_add_to_a_record_they_cannot_see(app, org) -> None:
    rep = sign_in(TestClient(app), "wang.qiang", PASSWORD)
    hidden = f"/m/crm_customer/{org.customers['nanjing']}"
    token = csrf_token(rep.get("/m/crm_customer").text)
    answer = rep.post(hidden + "/note", data={"csrf_token": token, "body": "偷看"},
                      follow_redirects=False)
    assert answer.status_code == 404


def test_the_admin_asks_why_a_rep_sees_a_customer(app, org) -> None:
    admin = sign_in(TestClient(app), "admin", ADMIN_PASSWORD)
    url = f"/m/crm_customer/{org.customers['hangzhou']}/why"
    seen = admin.get(url, params={"login": "wang.qiang"}, headers={"Accept-Language": "en"}).text
    assert "Visible" in seen
    hidden = admin.get(url, params={"login": "li.na"}, headers={"Accept-Language": "en"}).text
    assert "Not visible" in hidden
    rep = sign_in(TestClient(app), "li.na", PASSWORD)
    assert rep.get(f"/m/crm_customer/{org.customers['nanjing']}/why",
                   params={"login": "li.na"}).status_code == 403


def test_the_admin_hands_a_leaving_reps_customers_to_a_colleague(app, org, kernel) -> None:
    admin = sign_in(TestClient(app), "admin", ADMIN_PASSWORD)
    url = f"/admin/users/{org.users['li.na']}/handover"
    token = csrf_token(admin.get(url).text)
    answer = admin.post(url, data={"csrf_token": token, "to_login": "wang.qiang",
                                   "reason": "离职"})
    assert answer.status_code == 200 and "crm_customer: 1" in answer.text
    colleague = sign_in(TestClient(app), "wang.qiang", PASSWORD)
    assert colleague.get(f"/m/crm_customer/{org.customers['nanjing']}").status_code == 200
    refused = admin.post(url, data={"csrf_token": token, "to_login": "nobody", "reason": "x"})
    assert refused.status_code == 422
