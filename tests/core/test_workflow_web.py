"""The approvals inbox and the workflow buttons, through the pages, signed in (#4)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core.context import acting_as, system_context
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from core.web.approvals import panel
from core.web.pages import environment
from core.workflow.models import ApprovalChain, ApprovalTask, ChainStep
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


def post(client: TestClient, url: str, **data: str):
    token = csrf_token(client.get("/approvals").text)
    return client.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


def test_admin_sets_up_a_chain_in_the_generated_pages(flow, app) -> None:
    admin = client_for(app, "admin")
    token = csrf_token(admin.get("/m/kehu_approval_chain/new").text)
    created = admin.post("/m/kehu_approval_chain/new", data={
        "csrf_token": token, "name": "报销审批", "model": "wf_expense_note",
        "transition": "submit", "active": "on"}, follow_redirects=False)
    assert created.status_code == 303, created.text
    with system_context(), flow.kernel.session() as session:
        chain = session.scalar(sa.select(ApprovalChain))
    assert (chain.name, chain.division_id) == ("报销审批", flow.division("HQ"))
    refused = admin.post("/m/kehu_approval_step/new", data={
        "csrf_token": token, "chain_id": str(chain.id), "sequence": "10", "name": "财务",
        "kind": "role"})
    assert refused.status_code == 422 and "This kind of step needs it." in refused.text
    saved = admin.post("/m/kehu_approval_step/new", data={
        "csrf_token": token, "chain_id": str(chain.id), "sequence": "10", "name": "财务",
        "kind": "role", "role": "finance"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    with system_context(), flow.kernel.session() as session:
        assert session.scalar(sa.select(ChainStep.role)) == "finance"
    assert client_for(app, "li.na").get("/m/kehu_approval_chain").status_code == 403


def test_submit_approve_and_reject_through_the_pages(flow, app) -> None:
    flow.chain("EAST", [{"kind": "direct_manager", "name": "直属上级"},
                        {"kind": "role", "role": "finance", "name": "财务"}])
    note = flow.note("li.na", title="上海出差")
    li = client_for(app, "li.na")
    done = post(li, f"/workflow/wf_expense_note/{note}/submit", comment="请审批")
    assert done.status_code == 303 and done.headers["location"] == f"/m/wf_expense_note/{note}"
    assert flow.state(note) == "submitted"
    assert "上海出差" in li.get("/approvals").text  # under "Submitted by me"

    lead = client_for(app, "lead")
    page = lead.get("/approvals").text
    first, second = flow.tasks(note)
    assert f'action="/approvals/{first.id}/approve"' in page and "上海出差" in page
    assert post(lead, f"/approvals/{first.id}/approve").status_code == 303

    fin = client_for(app, "fin")
    refused = post(fin, f"/approvals/{second.id}/reject", comment=" ")
    assert refused.status_code == 422 and "A rejection needs a comment." in refused.text
    assert post(fin, f"/approvals/{second.id}/reject", comment="发票不全").status_code == 303
    assert flow.state(note) == "draft"
    mine = li.get("/approvals").text
    assert "Rejected" in mine
    again = post(li, f"/workflow/wf_expense_note/{note}/submit")
    assert again.status_code == 303
    first, second = flow.tasks(note)
    post(lead, f"/approvals/{first.id}/approve")
    assert "上海出差" not in lead.get("/approvals").text
    assert post(fin, f"/approvals/{second.id}/approve").status_code == 303
    assert flow.state(note) == "approved"


def test_refusals_show_on_the_page(flow, app) -> None:
    note = flow.note("li.na")
    li = client_for(app, "li.na")
    refused = post(li, f"/workflow/wf_expense_note/{note}/cancel")
    assert refused.status_code == 422 and "Why cancelled" in refused.text
    assert post(li, f"/workflow/wf_expense_note/{note}/cancel",
                cancel_reason="不去了").status_code == 303
    assert flow.state(note) == "cancelled"
    other = client_for(app, "wang.qiang")
    assert post(other, f"/workflow/wf_expense_note/{note}/submit").status_code == 404
    assert post(li, "/workflow/no_such_model/1/submit").status_code == 404


def test_overdue_steps_stand_out_in_the_inbox(flow, app) -> None:
    flow.chain("EAST", [{"kind": "direct_manager", "name": "直属上级"}])
    note = flow.note("li.na", title="逾期的")
    flow.fire("li.na", note, "submit")
    with system_context(), flow.kernel.sessions.begin() as session:
        session.execute(sa.update(ApprovalTask).values(
            pending_since=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=4)))
    page = client_for(app, "lead").get("/approvals").text
    row = re.search(r'<tr id="task-\d+" class="overdue">.*?</tr>', page, re.S)
    assert row is not None and "逾期的" in row.group(0) and "Overdue" in row.group(0)
    assert "4.0 days" in row.group(0)
    chinese = client_for(app, "lead")
    chinese.headers["Accept-Language"] = "zh-CN"
    page = chinese.get("/approvals").text
    assert "待我审批" in page and "已超时" in page and "4.0 天" in page


def test_the_document_panel_lists_actions_and_the_trail(flow) -> None:
    flow.chain("EAST", [{"kind": "direct_manager", "name": "直属上级"}])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit", comment="请审批")
    with acting_as(flow.actor("lead")), flow.kernel.session() as session:
        found = panel(session, flow.load(session, note))
        html = environment.get_template("approvals_panel.html").render(
            workflow=found, csrf_input=lambda: "")
    assert [a.name for a in found.actions] == ["approve", "reject"]
    assert f'action="/workflow/wf_expense_note/{note}/approve"' in html
    assert "Approval round 1: Awaiting decision" in html and "直属上级" in html
    assert "Submit: Draft → Submitted — 请审批" in html


def test_a_kanban_card_dropped_in_a_state_column_fires_the_transition(flow, app, monkeypatch) -> None:
    from core.web.ui import kanban
    from core.workflow import kanban_move

    monkeypatch.setattr(kanban, "move_hooks", [kanban_move])
    flow.chain("EAST", [{"kind": "direct_manager", "name": "直属上级"}])
    note = flow.note("li.na")
    li = client_for(app, "li.na")
    token = csrf_token(li.get("/m/wf_expense_note/kanban").text)
    refused = li.post(f"/m/wf_expense_note/{note}/move", data={"csrf_token": token, "to": "approved"},
                      headers={"Accept": "application/json"})
    assert refused.status_code == 409 and "cannot be moved to Approved" in refused.text
    moved = li.post(f"/m/wf_expense_note/{note}/move", data={"csrf_token": token, "to": "submitted"},
                    headers={"Accept": "application/json"})
    assert moved.json() == {"moved": note}
    assert flow.state(note) == "submitted" and len(flow.tasks(note)) == 1
