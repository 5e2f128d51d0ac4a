"""Workflow actions through the REST API and on the generated form (#4, #5)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from core.testing.web import sign_in
from core.web.app import create_app
from tests.core.workflow_fixtures import PASSWORD, flow, wf_templates  # noqa: F401  (fixtures)

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only

API = "/api/v1/wf_expense_note"


@pytest.fixture()
def app(flow):
    return create_app(kernel=flow.kernel)


def bearer(app, login: str) -> TestClient:
    client = TestClient(app, headers={"Accept-Language": "en"})
    answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


def test_submit_and_approve_a_document_through_the_api(flow, app) -> None:
    flow.chain("EAST", [{"kind": "direct_manager", "name": "直属上级"},
                        {"kind": "role", "role": "finance", "name": "财务"}])
    note = flow.note("li.na", title="杭州出差")
    li, lead, fin = (bearer(app, login) for login in ("li.na", "lead", "fin"))
    submitted = li.post(f"{API}/{note}/actions/submit", json={"comment": "请审批"})
    assert submitted.status_code == 200, submitted.text
    assert flow.state(note) == "submitted"
    own = li.post(f"{API}/{note}/actions/approve", json={})
    assert own.status_code in (403, 409) and "error" in own.json()
    early = fin.post(f"{API}/{note}/actions/approve", json={})
    assert early.status_code in (403, 409)
    assert lead.post(f"{API}/{note}/actions/approve", json={}).status_code == 200
    twice = lead.post(f"{API}/{note}/actions/approve", json={})
    assert twice.status_code in (403, 409)
    no_comment = fin.post(f"{API}/{note}/actions/reject", json={})
    assert no_comment.status_code in (409, 422)
    assert fin.post(f"{API}/{note}/actions/approve", json={}).status_code == 200
    assert flow.state(note) == "approved"
    unknown = li.post(f"{API}/{note}/actions/fly", json={})
    assert unknown.status_code in (404, 409) and "error" in unknown.json()


def test_the_form_of_a_document_shows_its_actions(flow, app) -> None:
    note = flow.note("li.na", title="南京出差")
    li = sign_in(TestClient(app, headers={"Accept-Language": "en"}), "li.na", PASSWORD)
    page = li.get(f"/m/wf_expense_note/{note}").text
    assert f"/workflow/wf_expense_note/{note}/submit" in page
