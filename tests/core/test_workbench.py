"""The workbench (#18): widgets per division and role, to-dos with one-click done,
recently opened records, announcements, the approvals badge and the bell."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import Customer
from core.audit import Activity, add_activity
from core.context import acting_as, system_context
from core.testing.web import csrf_token, sign_in
from core.workbench.models import Announcement
from core.workbench.web import render_widgets, visible_widgets
from tests.core.org_fixtures import PASSWORD, build_org

pytestmark = pytest.mark.sqlite_only


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


@pytest.fixture()
def client(kernel):
    from core.web.app import create_app

    return TestClient(create_app(kernel=kernel))


def _keys(kernel, org, login: str) -> list[str]:
    return [widget.key for _addon, widget in visible_widgets(kernel, org.actor(kernel, login))]


def test_widgets_obey_the_division_the_role_and_the_rights(kernel, org) -> None:
    east = _keys(kernel, org, "li.na")  # EAST enables crm_customer and crm_funnel only
    assert {"core.todos", "core.approvals", "core.notifications", "crm_funnel.my_numbers"} <= set(east)
    assert "crm_expense.claims" not in east and "core.addons" not in east
    assert "crm_funnel.team" not in east  # a rep manages nobody
    assert "crm_funnel.team" in _keys(kernel, org, "mgr")
    hq = _keys(kernel, org, "gm.hq")  # HQ enables crm_expense too
    assert "crm_expense.claims" in hq


def test_todos_list_due_and_overdue_activities_and_close_in_one_click(kernel, org, client) -> None:
    today = dt.date.today()
    nanjing = org.customers["nanjing"]
    with acting_as(org.actor(kernel, "li.na")), kernel.sessions.begin() as session:
        record = session.get(Customer, nanjing)
        late = add_activity(session, record, kind="call", summary="回访南京华信",
                            due_date=today - dt.timedelta(days=2), assignee_id=org.users["li.na"]).id
        add_activity(session, record, kind="visit", summary="今天拜访", due_date=today,
                     assignee_id=org.users["li.na"])
        add_activity(session, record, kind="task", summary="下周的事",
                     due_date=today + dt.timedelta(days=7), assignee_id=org.users["li.na"])
    sign_in(client, "li.na", PASSWORD)
    page = client.get("/", params={"lang": "en"}).text
    assert "回访南京华信" in page and "今天拜访" in page and "下周的事" not in page
    assert "Overdue" in page and "南京华信机电有限公司" in page
    answer = client.post(f"/workbench/activities/{late}/done",
                         data={"csrf_token": csrf_token(page), "next": "/"}, follow_redirects=False)
    assert answer.status_code == 303
    with system_context(), kernel.session() as session:
        assert session.get(Activity, late).done
    assert "回访南京华信" not in client.get("/").text


def test_widgets_render_in_one_or_two_statements_each(kernel, org) -> None:
    actor = org.actor(kernel, "mgr")
    statements: list[str] = []

    def count(*args):  # noqa: ANN002
        statements.append(args[2])

    with acting_as(actor), kernel.session() as session:
        sa.event.listen(kernel.engine, "before_cursor_execute", count)
        try:
            shown = render_widgets(kernel, actor, session)
        finally:
            sa.event.remove(kernel.engine, "before_cursor_execute", count)
    assert {widget.key for widget in shown} >= {"core.todos", "crm_funnel.team"}
    # Two per widget at most, plus the team look-up and the approvals' delegations.
    assert len(statements) <= 2 * len(shown) + 4, statements


def test_recently_opened_records_and_announcements_until_read(kernel, org, client) -> None:
    with system_context(), kernel.sessions.begin() as session:
        session.add(Announcement(title="十二月销售例会", body="周五下午三点", division_id=None))
        session.add(Announcement(title="总部通知", division_id=org.divisions["HQ"]))
    sign_in(client, "li.na", PASSWORD)
    assert client.get(f"/m/crm_customer/{org.customers['nanjing']}").status_code == 200
    page = client.get("/", params={"lang": "en"}).text
    assert "十二月销售例会" in page and "总部通知" not in page
    assert page.index("Recently opened") < page.index("南京华信机电有限公司", page.index("Recently opened"))
    with system_context(), kernel.session() as session:
        announcement = session.scalar(sa.select(Announcement.id).where(Announcement.title == "十二月销售例会"))
    client.post(f"/workbench/announcements/{announcement}/read",
                data={"csrf_token": csrf_token(page)})
    assert "十二月销售例会" not in client.get("/").text


def test_the_top_bar_shows_unread_notifications(kernel, org, client) -> None:
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        session.get(Customer, org.customers["hangzhou"]).owner_id = org.users["li.na"]
    sign_in(client, "li.na", PASSWORD)
    page = client.get("/", params={"lang": "zh_CN"}).text
    assert '<span class="badge">1</span>' in page
    notifications = client.get("/notifications", params={"lang": "zh_CN"}).text
    assert "杭州金桥商贸有限公司" in notifications and "分配给了您" in notifications
    client.post("/notifications/read-all", data={"csrf_token": csrf_token(notifications)})
    assert '<span class="badge">' not in client.get("/").text
    # A list's own filter does not fill the top bar's search box.
    listing = client.get("/m/crm_customer", params={"q": "杭州", "owner_id": org.users["li.na"]})
    box = listing.text.split('class="globalsearch"', 1)[1].split("</form>", 1)[0]
    assert 'value=""' in box and "杭州" not in box and "owner_id" not in box


def test_following_a_record_from_its_page_brings_its_changes(kernel, org, client) -> None:
    nanjing = org.customers["nanjing"]
    sign_in(client, "li.na", PASSWORD)
    page = client.get(f"/m/crm_customer/{nanjing}", params={"lang": "en"}).text
    assert f'action="/m/crm_customer/{nanjing}/follow"' in page
    client.post(f"/m/crm_customer/{nanjing}/follow", data={"csrf_token": csrf_token(page)})
    assert f'action="/m/crm_customer/{nanjing}/unfollow"' in client.get(
        f"/m/crm_customer/{nanjing}").text
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        session.get(Customer, nanjing).phone = "025-66668888"
    notifications = client.get("/notifications", params={"lang": "en"}).text
    assert "that you follow changed: Phone" in notifications


def _bearer(client: TestClient, login: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_the_chatter_through_the_api_under_the_same_rules(kernel, org, client) -> None:
    nanjing, url = org.customers["nanjing"], f"/api/v1/crm_customer/{org.customers['nanjing']}"
    li, wang = _bearer(client, "li.na"), _bearer(client, "wang.qiang")
    note = client.post(url + "/notes", json={"body": "@mgr 客户要报价"}, headers=li)
    assert note.status_code == 201, note.text
    activity = client.post(url + "/activities", headers=li, json={
        "kind": "call", "summary": "电话回访", "due_date": dt.date.today().isoformat(),
        "assignee_id": org.users["li.na"]})
    assert activity.status_code == 201, activity.text
    done = client.post(f"{url}/activities/{activity.json()['id']}/done", json={"result": "已约见面"},
                       headers=li)
    assert done.status_code == 200, done.text
    items = client.get(url + "/chatter", headers=li).json()["items"]
    assert {item["kind"] for item in items} == {"note", "activity"}
    assert any("已约见面" in item["text"] for item in items if item["kind"] == "activity")
    # wang.qiang may not read li.na's Nanjing customer: neither its chatter nor a note on it.
    assert client.get(url + "/chatter", headers=wang).status_code == 404
    refused = client.post(url + "/notes", json={"body": "x"}, headers=wang)
    assert refused.status_code == 404 and refused.json()["error"]["code"]
    mine = client.get("/api/v1/notifications", headers=_bearer(client, "mgr")).json()
    assert mine["unread"] == 1 and mine["items"][0]["kind"] == "mention"
    assert nanjing


def test_customer_and_contact_changes_show_in_the_chatter_in_both_languages(kernel, org, client) -> None:
    from addons.crm_customer.models import Contact

    nanjing = org.customers["nanjing"]
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        contact = Contact(customer_id=nanjing, name="王经理", mobile="13900000000")
        session.add(contact)
        session.flush()
        contact_id = contact.id
    with acting_as(org.actor(kernel, "mgr")), kernel.sessions.begin() as session:
        customer = session.get(Customer, nanjing)
        customer.phone, customer.address, customer.level = "025-66668888", "南京市江宁区", "A"
        customer.owner_id = org.users["zhao.min"]
        contact = session.get(Contact, contact_id)
        contact.mobile, contact.is_key = "13811112222", True
    sign_in(client, "mgr", PASSWORD)
    page = client.get(f"/m/crm_customer/{nanjing}", params={"lang": "en"}).text
    assert "Phone: — → 025-66668888" in page and "Address: — → 南京市江宁区" in page
    assert "Level: — → A: key account" in page and "Owner: li.na → zhao.min" in page
    page = client.get(f"/m/crm_customer/{nanjing}", params={"lang": "zh_CN"}).text
    assert "电话：— → 025-66668888" in page and "地址：— → 南京市江宁区" in page
    page = client.get(f"/m/crm_contact/{contact_id}", params={"lang": "en"}).text
    assert "Mobile: 13900000000 → 13811112222" in page and "Key person: No → Yes" in page
    page = client.get(f"/m/crm_contact/{contact_id}", params={"lang": "zh_CN"}).text
    assert "手机：13900000000 → 13811112222" in page and "关键人：否 → 是" in page
