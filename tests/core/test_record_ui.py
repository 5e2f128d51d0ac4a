"""Inline lines, record actions, related tabs, the `via` rule and periodic jobs (#5).

On the sample expense note of tests/core/workflow_addons: its receipts are lines
edited on the note's form; `retitle` and the bulk `prefix` are record actions;
wf_extra (enabled in HQ only) contributes a "Receipts (audit)" tab; the
`remind_drafts` job writes a note on every draft.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core.audit import Note
from core.context import system_context
from core.jobs import run_jobs
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.core.workflow_fixtures import PASSWORD, flow, wf_templates  # noqa: F401  (fixtures)

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture()
def app(flow):
    return create_app(kernel=flow.kernel)


def client_for(app, login: str) -> TestClient:
    client = TestClient(app, base_url="http://testserver", headers={"Accept-Language": "en"})
    return sign_in(client, login, ADMIN_PASSWORD if login == "admin" else PASSWORD)


def bearer(app, login: str) -> TestClient:
    client = TestClient(app, base_url="http://testserver", headers={"Accept-Language": "en"})
    answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


def lines_of(flow, note_id: int) -> list[tuple[str, str]]:
    with system_context(), flow.kernel.session() as session:
        note = flow.load(session, note_id)
        return [(line.description, f"{line.amount:.2f}") for line in note.lines]


# ------------------------------------------------------------------- lines


def test_lines_through_the_api_total_the_note_and_are_replaced_by_id(flow, app) -> None:
    api = bearer(app, "li.na")
    created = api.post("/api/v1/wf_expense_note", json={
        "title": "上海出差", "amount": "0",
        "lines": [{"description": "高铁票", "amount": "553.00"},
                  {"description": "酒店两晚", "amount": "980.50", "payee_id": None}]})
    assert created.status_code == 201, created.text
    note = created.json()
    assert note["amount"] == "1533.50"
    assert [line["description"] for line in note["lines"]] == ["高铁票", "酒店两晚"]
    train, hotel = note["lines"]
    changed = api.patch(f"/api/v1/wf_expense_note/{note['id']}", json={
        "version": note["version"],
        "lines": [{"id": hotel["id"], "description": "酒店一晚", "amount": "490.25"},
                  {"description": "出租车", "amount": "66"}]})
    assert changed.status_code == 200, changed.text
    assert [(line["description"], line["amount"]) for line in changed.json()["lines"]] == [
        ("酒店一晚", "490.25"), ("出租车", "66.00")]
    assert changed.json()["lines"][0]["id"] == hotel["id"]  # kept, not re-created
    assert changed.json()["amount"] == "556.25"
    assert lines_of(flow, note["id"]) == [("酒店一晚", "490.25"), ("出租车", "66.00")]
    # A list page leaves the lines out (no query per line set); reading the note has them.
    listed = api.get("/api/v1/wf_expense_note").json()["data"]
    assert listed and all("lines" not in item for item in listed)
    assert len(api.get(f"/api/v1/wf_expense_note/{note['id']}").json()["lines"]) == 2


def test_bad_lines_are_named_by_row_and_nothing_is_written(flow, app) -> None:
    api = bearer(app, "li.na")
    answer = api.post("/api/v1/wf_expense_note", json={
        "title": "", "amount": "1",
        "lines": [{"description": "餐费", "amount": "88"},
                  {"description": "", "amount": "abc"},
                  {"description": "礼品", "amount": "10", "payee_id": 99999}]})
    assert answer.status_code == 422
    fields = answer.json()["error"]["fields"]
    assert set(fields) == {"title", "lines.2.description", "lines.2.amount", "lines.3.payee_id"}
    with system_context(), flow.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(
            sa.table("wf_expense_note_line"))) == 0


def test_lines_on_the_generated_form(flow, app) -> None:
    page = client_for(app, "li.na")
    form = page.get("/m/wf_expense_note/new")
    assert 'name="lines.1.description"' in form.text and "Add line" in form.text
    token = csrf_token(form.text)
    bad = page.post("/m/wf_expense_note/new", data={
        "csrf_token": token, "title": "广州拜访", "amount": "0",
        "lines.1.description": "机票", "lines.1.amount": "1200",
        "lines.2.description": "", "lines.2.amount": "三百"})
    assert bad.status_code == 422
    assert 'value="机票"' in bad.text  # what was typed comes back
    saved = page.post("/m/wf_expense_note/new", data={
        "csrf_token": token, "title": "广州拜访", "amount": "0",
        "lines.1.description": "机票", "lines.1.amount": "1200",
        "lines.2.description": "客户午餐", "lines.2.amount": "300",
        "lines.3.description": "", "lines.3.amount": ""}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    note_id = int(saved.headers["location"].rsplit("/", 1)[1])
    assert lines_of(flow, note_id) == [("机票", "1200.00"), ("客户午餐", "300.00")]
    shown = page.get(f"/m/wf_expense_note/{note_id}").text
    ids = re.findall(r'name="lines\.(\d)\.id" value="(\d+)"', shown)
    version = re.search(r'name="version" value="(\d+)"', shown).group(1)
    removed = page.post(f"/m/wf_expense_note/{note_id}", data={
        "csrf_token": token, "title": "广州拜访", "amount": "0", "version": version,
        "lines.1.id": ids[0][1], "lines.1.description": "机票", "lines.1.amount": "1200",
        "lines.2.id": ids[1][1], "lines.2.description": "客户午餐", "lines.2.amount": "300",
        "lines.2._remove": "1"}, follow_redirects=False)
    assert removed.status_code == 303, removed.text
    assert lines_of(flow, note_id) == [("机票", "1200.00")]
    with system_context(), flow.kernel.session() as session:
        assert f"{flow.load(session, note_id).amount:.2f}" == "1200.00"


def test_a_locked_note_refuses_line_changes(flow, app) -> None:
    api = bearer(app, "li.na")
    note = api.post("/api/v1/wf_expense_note", json={
        "title": "北京出差", "amount": "0",
        "lines": [{"description": "高铁票", "amount": "553"}]}).json()
    flow.fire("li.na", note["id"], "submit")
    current = api.get(f"/api/v1/wf_expense_note/{note['id']}").json()
    refused = api.patch(f"/api/v1/wf_expense_note/{note['id']}", json={
        "version": current["version"],
        "lines": [{"id": current["lines"][0]["id"], "description": "高铁票", "amount": "5530"}]})
    assert refused.status_code in (403, 422), refused.text
    assert lines_of(flow, note["id"]) == [("高铁票", "553.00")]
    form = client_for(app, "li.na").get(f"/m/wf_expense_note/{note['id']}").text
    assert 'name="lines.1.amount"' not in form and "高铁票" in form


def test_lines_follow_the_notes_rules(flow, app) -> None:
    """A line is visible exactly when its note is (the `via` scope)."""
    bearer(app, "li.na").post("/api/v1/wf_expense_note", json={
        "title": "李娜的报销", "amount": "0", "lines": [{"description": "餐费", "amount": "50"}]})
    bearer(app, "wang.qiang").post("/api/v1/wf_expense_note", json={
        "title": "王强的报销", "amount": "0", "lines": [{"description": "打车", "amount": "30"}]})
    from core.context import acting_as

    line_model = flow.model.lines.property.mapper.class_
    for login, expected in [("li.na", {"餐费"}), ("wang.qiang", {"打车"}),
                            ("mgr", {"餐费", "打车"}), ("hq.rep", set())]:
        with acting_as(flow.actor(login)), flow.kernel.session() as session:
            seen = set(session.scalars(sa.select(line_model.description)))
        assert seen == expected, login


# ------------------------------------------------------------------ actions


def test_a_record_action_through_the_api(flow, app) -> None:
    note_id = flow.note("li.na", title="旧标题")
    api = bearer(app, "li.na")
    missing = api.post(f"/api/v1/wf_expense_note/{note_id}/actions/retitle", json={"values": {}})
    assert missing.status_code == 422 and "title" in missing.json()["error"]["fields"]
    refused = api.post(f"/api/v1/wf_expense_note/{note_id}/actions/retitle",
                       json={"values": {"title": "=cmd"}})
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {
        "title": "starts with ="}
    hidden_user = api.post(f"/api/v1/wf_expense_note/{note_id}/actions/retitle",
                           json={"values": {"title": "新标题", "payee": "abc"}})
    assert hidden_user.status_code == 422 and "payee" in hidden_user.json()["error"]["fields"]
    done = api.post(f"/api/v1/wf_expense_note/{note_id}/actions/retitle",
                    json={"values": {"title": "新标题"}})
    assert done.status_code == 200, done.text
    assert done.json()["message"] == "retitled by li.na"
    assert done.json()["record"]["title"] == "新标题"
    # Another rep cannot reach the note; a name that is neither an action nor a
    # transition is refused by the workflow (409).
    other = bearer(app, "wang.qiang").post(f"/api/v1/wf_expense_note/{note_id}/actions/retitle",
                                           json={"values": {"title": "抢"}})
    assert other.status_code == 404
    assert api.post(f"/api/v1/wf_expense_note/{note_id}/actions/nope",
                    json={}).status_code == 409
    # Not offered once submitted (visible=draft only), and refused on the server too.
    flow.fire("li.na", note_id, "submit")
    late = api.post(f"/api/v1/wf_expense_note/{note_id}/actions/retitle",
                    json={"values": {"title": "晚了"}})
    assert late.status_code == 422


def test_a_record_action_on_the_form_and_a_bulk_action_on_the_list(flow, app) -> None:
    note_id = flow.note("li.na", title="差旅")
    rep = client_for(app, "li.na")
    form = rep.get(f"/m/wf_expense_note/{note_id}").text
    assert f'action="/m/wf_expense_note/{note_id}/do/retitle"' in form
    assert "Mark urgent" not in rep.get("/m/wf_expense_note").text  # managers only
    done = rep.post(f"/m/wf_expense_note/{note_id}/do/retitle",
                    data={"csrf_token": csrf_token(form), "title": "差旅<b>"})
    assert done.status_code == 200 and "retitled by li.na" in done.text
    assert "差旅&lt;b&gt;" in done.text
    no_csrf = rep.post(f"/m/wf_expense_note/{note_id}/do/retitle", data={"title": "x"})
    assert no_csrf.status_code == 403
    # The manager ticks two notes and marks them urgent in one go.
    second = flow.note("wang.qiang", title="展会")
    manager = client_for(app, "mgr")
    listing = manager.get("/m/wf_expense_note").text
    assert '<option value="prefix">Mark urgent</option>' in listing
    bulk = manager.post("/m/wf_expense_note/bulk", data={
        "csrf_token": csrf_token(listing), "action": "prefix",
        "ids": [str(note_id), str(second)]})
    assert bulk.status_code == 200 and "2 records done." in bulk.text
    with system_context(), flow.kernel.session() as session:
        assert flow.load(session, second).title == "急: 展会"
    refused = rep.post("/m/wf_expense_note/bulk", data={
        "csrf_token": csrf_token(listing), "action": "prefix", "ids": [str(note_id)]})
    assert refused.status_code == 403


# -------------------------------------------------------------- related tabs


def test_a_related_tab_shows_where_its_addon_is_enabled_only(flow, app) -> None:
    hq = bearer(app, "hq.rep")
    note = hq.post("/api/v1/wf_expense_note", json={
        "title": "总部报销", "amount": "0",
        "lines": [{"description": "小票一", "amount": "10"},
                  {"description": "小票二", "amount": "30"},
                  {"description": "小票三", "amount": "20"}]}).json()
    page = client_for(app, "hq.rep").get(f"/m/wf_expense_note/{note['id']}").text
    assert "Receipts (audit)" in page
    tab = page[page.index('class="tabpanel"'):]
    # Two rows shown (limit=2), the largest first, and a "more" marker.
    assert tab.index("小票二") < tab.index("小票三") and "小票一" not in tab
    assert "2+" in page
    east = bearer(app, "li.na").post("/api/v1/wf_expense_note", json={
        "title": "华东报销", "amount": "0",
        "lines": [{"description": "小票", "amount": "10"}]}).json()
    assert "Receipts (audit)" not in client_for(app, "li.na").get(
        f"/m/wf_expense_note/{east['id']}").text


# ---------------------------------------------------------------------- jobs


def test_jobs_run_per_division_where_enabled(flow) -> None:
    flow.note("li.na", title="草稿一")
    flow.note("hq.rep", title="草稿二")
    results = run_jobs(flow.kernel, only=["remind_drafts"])
    assert sorted((r.job, r.division, r.changed) for r in results) == [
        ("remind_drafts", "EAST", 1), ("remind_drafts", "HQ", 1)]
    assert [r.changed for r in run_jobs(flow.kernel, only=["remind_drafts"])] == [0, 0]
    with system_context(), flow.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Note)) == 2
    with pytest.raises(ValueError, match="unknown job"):
        run_jobs(flow.kernel, only=["nope"])


# ------------------------------------------------- admin checks below the pages


def test_addon_switching_and_explaining_are_for_administrators_below_the_pages(flow) -> None:
    from core.access.explain import explain
    from core.context import acting_as
    from core.errors import AccessDenied
    from core.installer import disable, enable

    note_id = flow.note("li.na")
    with acting_as(flow.actor("mgr")):
        with pytest.raises(AccessDenied):
            disable(flow.kernel, "wf_extra", "HQ")
        with pytest.raises(AccessDenied):
            enable(flow.kernel, "wf_extra", "EAST")
        with flow.kernel.session() as session, pytest.raises(AccessDenied):
            explain(session, flow.actor("li.na"), flow.model, note_id)
    assert "wf_extra" not in flow.kernel.registry.enabled_for(flow.division("EAST"))
    with acting_as(flow.actor("admin")):
        with flow.kernel.session() as session:
            assert explain(session, flow.actor("li.na"), flow.model, note_id).visible
        assert enable(flow.kernel, "wf_extra", "EAST") == ["wf_extra"]


# ------------------------------------------------------------------ errors


def test_pages_and_api_answer_errors_from_one_mapping(flow, app, caplog) -> None:
    from starlette.routing import Route

    from core.errors import Conflict

    def boom(request):
        raise RuntimeError("secret detail /etc/kehu SELECT password")

    def stale(request):
        raise Conflict("别人先改了")

    app.router.routes.insert(0, Route("/boom", boom))
    app.router.routes.insert(0, Route("/stale", stale))
    client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False,
                        headers={"Accept-Language": "en"})
    sign_in(client, "li.na", PASSWORD)
    page = client.get("/boom")
    assert page.status_code == 500 and "Error id:" in page.text
    assert "secret detail" not in page.text and "RuntimeError" not in page.text
    error_id = re.search(r"Error id: ([0-9a-f]{12})", page.text).group(1)
    assert any(error_id in record.getMessage() for record in caplog.records)
    as_json = client.get("/boom", headers={"Accept": "application/json"})
    assert as_json.status_code == 500
    assert as_json.json()["error"]["code"] == "internal_error"
    assert "secret" not in as_json.text
    conflict = client.get("/stale")
    assert conflict.status_code == 409 and "别人先改了" in conflict.text
    assert client.get("/m/no_such_model").status_code == 404


def test_decimals_keep_their_columns_scale_and_read_back_without_exponents(flow) -> None:
    import decimal

    from core import schemas
    from core.api.representation import plain
    from core.errors import ValidationError
    from core.fields import FieldInfo

    column = sa.Column("rate", sa.Numeric(7, 4))
    rate = FieldInfo(name="rate", label="Rate", kind="decimal", required=False, max_length=None,
                     choices=(), target=None, column=column)
    assert schemas.validate(flow.model, [rate], {"rate": "12.5"}, partial=False) == {
        "rate": decimal.Decimal("12.5")}
    with pytest.raises(ValidationError) as refused:
        schemas.validate(flow.model, [rate], {"rate": "9.7e-230"}, partial=False)
    assert refused.value.fields == {
        "rate": "At most 7 digits, 4 of them after the decimal point."}
    assert plain(rate, decimal.Decimal("1E-7")) == "0.0000001"
