"""Route → plan → check-in → visit → check-out through the API and the phone pages (#17)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_team.models import Plan, Route, Visit
from core import i18n
from core.attachments import Attachment
from core.context import system_context
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.addons.crm_team.conftest import PASSWORD, PHARMACY_AT, TeamWorld

pytestmark = pytest.mark.sqlite_only
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
                       "hKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture()
def app(world: TeamWorld):  # type: ignore[no-untyped-def]
    return create_app(kernel=world.kernel)


def bearer(app, login: str) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app, headers={"Accept-Language": "en"})
    answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


def test_route_to_plan_to_check_in_and_out_through_the_api(app, world: TeamWorld) -> None:
    api = bearer(app, "li.na")
    today = dt.date.today()
    created = api.post("/api/v1/crm_team_route", json={
        "name": "今日线", "weekday": str(today.isoweekday()), "every_weeks": 1,
        "stops": [{"sequence": 1, "customer_id": world.customers["pharmacy"]}]})
    assert created.status_code == 201, created.text
    plan = api.post("/api/v1/crm_team_plan", json={"week_start": today.isoformat()})
    assert plan.status_code == 201, plan.text
    filled = api.post(f"/api/v1/crm_team_plan/{plan.json()['id']}/actions/from_routes", json={})
    assert filled.status_code == 200, filled.text
    with system_context(), world.kernel.session() as session:
        visit_id = session.scalar(sa.select(Visit.id).where(Visit.plan_id == plan.json()["id"]))
    near = {"values": {"latitude": str(PHARMACY_AT[0]), "longitude": str(PHARMACY_AT[1] + 0.001),
                       "accuracy": "20", "position": "granted"}}
    checked = api.post(f"/api/v1/crm_visit/{visit_id}/actions/check_in", json=near)
    assert checked.status_code == 200, checked.text
    record = checked.json()["record"]
    assert record["checkin_far"] is False and 90 <= record["checkin_distance"] <= 100
    out = api.post(f"/api/v1/crm_visit/{visit_id}/actions/check_out", json={})
    assert out.status_code == 200 and out.json()["record"]["state"] == "done"
    again = api.post(f"/api/v1/crm_visit/{visit_id}/actions/check_in", json=near)
    assert again.status_code in (400, 409, 422)
    assert bearer(app, "chen.jie").post(f"/api/v1/crm_visit/{visit_id}/actions/check_out",
                                        json={}).status_code == 404


def test_the_phone_pages_check_in_record_with_a_photo_and_check_out(app, world: TeamWorld) -> None:
    phone = sign_in(TestClient(app, headers={"Accept-Language": "zh-CN"}), "li.na", PASSWORD)
    today = phone.get("/a/crm_team/today")
    assert today.status_code == 200 and "今天" in today.text
    started = phone.post("/a/crm_team/visits", data={
        "customer_id": world.customers["pharmacy"], "csrf_token": csrf_token(today.text)},
        follow_redirects=False)
    assert started.status_code == 303
    page = phone.get(started.headers["location"])
    assert 'capture="environment"' in page.text and "checkin.js" in page.text
    visit_id = int(started.headers["location"].rsplit("/", 1)[1])
    token = csrf_token(page.text)
    far = phone.post(f"/a/crm_team/visits/{visit_id}/checkin", data={
        "latitude": "31.2504", "longitude": "121.4737", "accuracy": "35",
        "position": "granted", "csrf_token": token})
    assert "超过 500 米" in far.text  # flagged on the page it leads to
    saved = phone.post(f"/a/crm_team/visits/{visit_id}/record", data={
        "purpose": "新品上架", "result": "店长同意", "met": [str(world.contacts["boss"])],
        "other": "店员小刘", "csrf_token": token},
        files={"photo": ("门店.png", PNG, "image/png")})
    assert saved.status_code == 200 and "门店.png" in saved.text
    done = phone.post(f"/a/crm_team/visits/{visit_id}/checkout", data={"csrf_token": token})
    assert done.status_code == 200 and "完成" in done.text
    visit = world.read(Visit, visit_id)
    assert visit.state == "done" and visit.met_decision_maker and visit.checkin_far
    with system_context(), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
            Attachment.model == "crm_visit", Attachment.res_id == visit_id)) == 1


def test_a_refused_position_still_checks_in_and_says_so(app, world: TeamWorld) -> None:
    with i18n.using_locale("en"):
        phone = sign_in(TestClient(app, headers={"Accept-Language": "en"}), "li.na", PASSWORD)
        token = csrf_token(phone.get("/a/crm_team/today").text)
        started = phone.post("/a/crm_team/visits", data={
            "customer_id": world.customers["hospital"], "csrf_token": token})
        assert "Check in here" in started.text
        visit_id = int(str(started.url).rsplit("/", 1)[1])
        answer = phone.post(f"/a/crm_team/visits/{visit_id}/checkin",
                            data={"position": "denied", "csrf_token": token})
    assert "Position refused" in answer.text
    assert world.read(Visit, visit_id).checkin_position == "denied"


def test_other_reps_visits_are_not_found_on_the_pages(app, world: TeamWorld) -> None:
    visit_id = world.create("li.na", Visit, {"customer_id": world.customers["pharmacy"],
                                             "state": "planned"})
    other = sign_in(TestClient(app), "chen.jie", PASSWORD)
    assert other.get(f"/a/crm_team/visits/{visit_id}").status_code == 404
    manager = sign_in(TestClient(app), "zhang.wei", PASSWORD)
    assert manager.get(f"/a/crm_team/visits/{visit_id}").status_code == 200
    assert manager.get("/a/crm_team/board").status_code == 200
    east = sign_in(TestClient(app), "east.rep", PASSWORD)
    assert east.get("/a/crm_team/today").status_code in (200, 404)
    assert world.visible("li.na", Plan) == set() and world.visible("li.na", Route) == set()


def test_the_home_page_lists_todays_visits_and_the_managers_team_week(app, world: TeamWorld) -> None:
    world.create("li.na", Visit, {"customer_id": world.customers["pharmacy"], "state": "planned",
                                  "visited_on": dt.date.today().isoformat()})
    home = sign_in(TestClient(app, headers={"Accept-Language": "en"}), "li.na", PASSWORD).get("/")
    assert "Today&#39;s visits" in home.text or "Today's visits" in home.text
    assert "仁和大药房（人民广场店）" in home.text
    manager = sign_in(TestClient(app, headers={"Accept-Language": "en"}), "zhang.wei", PASSWORD)
    assert "Visits done this week" in manager.get("/").text
