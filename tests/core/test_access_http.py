"""The access matrix of tests/core/test_access.py again, through the HTTP API and
the pages: the same rows for every role, whatever the door."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from core.testing.web import sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.core.org_fixtures import PASSWORD, build_org
from tests.core.test_access import VISIBLE

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only

LOGINS = sorted(VISIBLE)


@pytest.fixture()
def world(kernel):
    org = build_org(kernel)
    return org, create_app(kernel=kernel)


def token(client: TestClient, login: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 201
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_every_role_sees_the_same_rows_through_api_pages_and_export(world) -> None:
    org, app = world
    names = {cid: key for key, cid in org.customers.items()}
    for login in LOGINS:
        expected = VISIBLE[login]
        client = TestClient(app)
        headers = token(client, login)
        listed = client.get("/api/v1/crm_customer?limit=200&count=1", headers=headers).json()
        assert {names[row["id"]] for row in listed["data"]} == expected, login
        assert listed["count"] == len(expected), login
        for key, cid in org.customers.items():
            status = client.get(f"/api/v1/crm_customer/{cid}", headers=headers).status_code
            assert status == (200 if key in expected else 404), (login, key)
        page = sign_in(TestClient(app), login, PASSWORD)
        for key, cid in org.customers.items():
            status = page.get(f"/m/crm_customer/{cid}").status_code
            assert status == (200 if key in expected else 404), (login, key)
        exported = page.get("/m/crm_customer/export.csv?cols=code").content.decode("utf-8-sig")
        assert {line for line in exported.splitlines()[1:]} == {k.upper() for k in expected}, login


def test_a_rep_cannot_change_or_delete_another_regions_customer_through_the_api(world) -> None:
    org, app = world
    client = TestClient(app)
    headers = token(client, "li.na")
    hidden = org.customers["hangzhou"]
    assert client.patch(f"/api/v1/crm_customer/{hidden}", json={"phone": "1", "version": 1},
                        headers=headers).status_code == 404
    assert client.delete(f"/api/v1/crm_customer/{hidden}", headers=headers).status_code == 404


def test_the_api_explains_why_a_user_sees_a_record(world) -> None:
    org, app = world
    client = TestClient(app)
    admin = {"Authorization": "Bearer " + client.post(
        "/api/v1/auth/token", json={"login": "admin", "password": ADMIN_PASSWORD}).json()["token"]}
    url = f"/api/v1/crm_customer/{org.customers['hangzhou']}/access"
    seen = client.get(url, params={"login": "wang.qiang"}, headers=admin).json()
    assert seen["visible"] is True and seen["reason"] == "granted"
    hidden = client.get(url, params={"login": "li.na"}, headers=admin).json()
    assert hidden["visible"] is False and hidden["lines"]
    rep = token(client, "li.na")
    assert client.get(url, params={"login": "li.na"}, headers=rep).status_code == 403
