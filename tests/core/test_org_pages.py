"""Issue #3 as a new administrator would try it, entirely through the pages.

The admin creates a division, switches crm_customer on for it, creates a
manager and two reps in different provinces, a department managed by the
manager; each rep files a customer in their province. Each rep then sees only
their own, the manager sees both, the admin sees all.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core.context import system_context
from core.models import Region
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only

PASSWORD = "西南-Password-9"


def region_id(kernel, code: str) -> int:
    with system_context(), kernel.session() as session:
        return int(session.scalar(sa.select(Region.id).where(Region.code == code)))


def post_form(client: TestClient, url: str, data: dict, *, expect: int = 303) -> str:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    response = client.post(url, data={"csrf_token": csrf_token(page.text), **data},
                           follow_redirects=False)
    assert response.status_code == expect, (url, response.status_code, response.text[-1500:])
    return response.headers.get("location", "")


def new_id(location: str) -> int:
    return int(location.rstrip("/").rsplit("/", 1)[1])


def listed_names(client: TestClient) -> set[str]:
    page = client.get("/m/crm_customer?cols=name")
    assert page.status_code == 200
    return set(re.findall(r'<a href="/m/crm_customer/\d+">([^<]*)</a>', page.text))


@pytest.fixture()
def app(kernel):
    return create_app(kernel=kernel)


def test_admin_builds_an_organisation_and_each_user_sees_what_the_rules_allow(app, kernel) -> None:
    admin = sign_in(TestClient(app, base_url="http://testserver"), "admin", ADMIN_PASSWORD)
    division = new_id(post_form(admin, "/m/kehu_division/new",
                                {"code": "SW", "name": "西南分公司", "active": "y"}))
    post_form(admin, f"/admin/divisions/{division}/addons", {"addons": "crm_customer"})

    def make_user(login: str, name: str, roles: str, region: str | None) -> int:
        data = {"login": login, "name": name, "active": "y", "division_id": str(division),
                "roles": roles, "locale": "zh_CN"}
        if region:
            data["regions"] = str(region_id(kernel, region))
        user = new_id(post_form(admin, "/m/kehu_user/new", data))
        post_form(admin, f"/admin/users/{user}/password", {"password": PASSWORD, "confirm": PASSWORD})
        return user

    manager = make_user("chen.gang", "陈刚", "sales_manager", None)
    chengdu_rep = make_user("liu.chuan", "刘川", "sales_rep", "510000")
    chongqing_rep = make_user("ran.yu", "冉渝", "sales_rep", "500000")
    department = new_id(post_form(admin, "/m/kehu_department/new", {
        "division_id": str(division), "code": "SW-S", "name": "西南销售部",
        "manager_id": str(manager), "active": "y"}))
    for user, login, name, roles, region in (
        (chengdu_rep, "liu.chuan", "刘川", "sales_rep", "510000"),
        (chongqing_rep, "ran.yu", "冉渝", "sales_rep", "500000"),
    ):
        post_form(admin, f"/m/kehu_user/{user}", {
            "login": login, "name": name, "active": "y", "division_id": str(division),
            "department_id": str(department), "roles": roles,
            "regions": str(region_id(kernel, region)), "version": "1"})

    for login, customer, city in (("liu.chuan", "成都天府电气有限公司", "510100"),
                                  ("ran.yu", "重庆山城机电有限公司", "500103")):
        rep = sign_in(TestClient(app, base_url="http://testserver"), login, PASSWORD)
        post_form(rep, "/m/crm_customer/new", {"name": customer, "code": login.upper(),
                                               "region_id": str(region_id(kernel, city))})

    chengdu = sign_in(TestClient(app, base_url="http://testserver"), "liu.chuan", PASSWORD)
    chongqing = sign_in(TestClient(app, base_url="http://testserver"), "ran.yu", PASSWORD)
    boss = sign_in(TestClient(app, base_url="http://testserver"), "chen.gang", PASSWORD)
    assert listed_names(chengdu) == {"成都天府电气有限公司"}
    assert listed_names(chongqing) == {"重庆山城机电有限公司"}
    assert listed_names(boss) == {"成都天府电气有限公司", "重庆山城机电有限公司"}
    # The administrator sees them among every division's customers.
    for name in ("成都天府电气有限公司", "重庆山城机电有限公司"):
        found = admin.get("/m/crm_customer", params={"cols": "name", "q": name})
        assert name in set(re.findall(r'<a href="/m/crm_customer/\d+">([^<]*)</a>', found.text))

    other = re.search(r'<a href="/m/crm_customer/(\d+)">重庆山城机电有限公司', boss.get(
        "/m/crm_customer?cols=name").text).group(1)
    assert chengdu.get(f"/m/crm_customer/{other}").status_code == 404
    assert "Users" not in chengdu.get("/", headers={"Accept-Language": "en"}).text
    assert chengdu.get("/m/kehu_user/new").status_code == 200  # reading the form is harmless…
    refused = chengdu.post("/m/kehu_user/new", data={
        "csrf_token": csrf_token(chengdu.get("/m/kehu_user/new").text),
        "login": "x", "name": "x", "division_id": str(division)}, follow_redirects=False)
    assert refused.status_code == 403  # …but creating a user is an admin's right
