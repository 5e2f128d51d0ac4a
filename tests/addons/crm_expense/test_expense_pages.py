"""Claims through the API and the pages, the voucher (HTML and PDF), and per-division switches."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from starlette.testclient import TestClient

from addons.crm_expense.models import ExpenseClaim
from core.context import system_context
from core.installer import disable, enable
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.addons.crm_expense.conftest import PASSWORD, ExpenseWorld

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only

API = "/api/v1/crm_expense_claim"


@pytest.fixture()
def app(world: ExpenseWorld):
    return create_app(kernel=world.kernel)


def bearer(app, login: str) -> TestClient:
    client = TestClient(app, headers={"Accept-Language": "en"})
    answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


def browser(app, login: str) -> TestClient:
    return sign_in(TestClient(app, headers={"Accept-Language": "en"}), login, PASSWORD)


def file_claim(world: ExpenseWorld, client: TestClient) -> int:
    lines = [
        {"date": "2026-11-03", "type_id": world.types["travel"], "amount": "1280.00",
         "customer_id": world.customers["nanjing"], "description": "上海—南京高铁往返及住宿"},
        {"date": "2026-11-04", "type_id": world.types["meals"], "amount": "356.50",
         "customer_id": world.customers["nanjing"], "description": "与采购部工作餐"},
        {"date": "2026-11-05", "type_id": world.types["transport"], "amount": "86.00",
         "description": "南京市内出租车"},
    ]
    created = client.post(API, json={"title": "南京华信拜访费用", "date_from": "2026-11-01",
                                     "date_to": "2026-11-30", "lines": lines})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["total"] == "1722.50" and len(body["lines"]) == 3
    return int(body["id"])


def test_a_claim_through_the_api_the_inbox_and_the_voucher(world: ExpenseWorld, app) -> None:
    li, fin = bearer(app, "li.na"), bearer(app, "fin")
    claim_id = file_claim(world, li)
    assert li.post(f"{API}/{claim_id}/actions/submit", json={}).status_code == 200
    early = fin.post(f"{API}/{claim_id}/actions/approve", json={})
    assert early.status_code in (403, 409) and "error" in early.json()
    own = li.post(f"{API}/{claim_id}/actions/approve", json={})
    assert own.status_code in (403, 409)
    manager = browser(app, "mgr")
    inbox = manager.get("/approvals")
    assert "南京华信拜访费用" in inbox.text
    task = world.tasks(claim_id)[0]
    decided = manager.post(f"/approvals/{task.id}/approve",
                           data={"csrf_token": csrf_token(inbox.text), "comment": "同意"},
                           follow_redirects=False)
    assert decided.status_code == 303
    assert fin.post(f"{API}/{claim_id}/actions/approve", json={}).status_code == 200
    paid = fin.post(f"{API}/{claim_id}/actions/pay", json={})
    assert paid.status_code == 200 and paid.json()["state"] == "paid"

    rep = browser(app, "li.na")
    page = rep.get(f"/m/crm_expense_claim/{claim_id}")
    assert f"/a/crm_expense/claims/{claim_id}/voucher" in page.text
    voucher = rep.get(f"/a/crm_expense/claims/{claim_id}/voucher")
    assert voucher.status_code == 200
    for text in ("南京华信拜访费用", "李娜", "王建国", "陈静", "同意", "1,722.50",
                 "壹仟柒佰贰拾贰元伍角", "与采购部工作餐", "南京华信机电有限公司"):
        assert text in voucher.text, text
    number = re.search(r"BX202611-\d{5}", voucher.text).group(0)
    pdf = rep.get(f"/a/crm_expense/claims/{claim_id}/voucher.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert f'filename="{number}.pdf"' in pdf.headers["content-disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in (number, "1,722.50", "1,280.00", "356.50"):
        assert expected in text, (expected, text)
    # Another rep's claim is not theirs to print.
    other = browser(app, "zhang.wei").get(f"/a/crm_expense/claims/{claim_id}/voucher")
    assert other.status_code == 404


def test_a_draft_has_no_voucher_and_a_rejection_shows_on_the_form(world: ExpenseWorld, app) -> None:
    li = bearer(app, "li.na")
    claim_id = file_claim(world, li)
    rep = browser(app, "li.na")
    assert rep.get(f"/a/crm_expense/claims/{claim_id}/voucher").status_code == 409
    assert li.post(f"{API}/{claim_id}/actions/submit", json={}).status_code == 200
    manager = bearer(app, "mgr")
    refused = manager.post(f"{API}/{claim_id}/actions/reject", json={})
    assert refused.status_code in (409, 422)
    assert manager.post(f"{API}/{claim_id}/actions/reject",
                        json={"comment": "住宿超标准，请说明"}).status_code == 200
    form = rep.get(f"/m/crm_expense_claim/{claim_id}")
    assert "住宿超标准，请说明" in form.text
    assert world.state(claim_id) == "draft"


def test_a_line_over_its_limit_is_named_in_the_api_answer(world: ExpenseWorld, app) -> None:
    li = bearer(app, "li.na")
    answer = li.post(API, json={"title": "宴请", "date_from": "2026-11-01", "date_to": "2026-11-30",
                                "lines": [{"date": "2026-11-06", "type_id": world.types["gifts"],
                                           "amount": "1500.00", "description": "节日礼品"}]})
    assert answer.status_code == 422
    assert "lines.1.justification" in answer.json()["error"]["fields"]


def test_disabling_crm_expense_for_a_division_hides_it_there_only(world: ExpenseWorld, app) -> None:
    kernel = world.kernel
    with system_context(), kernel.sessions.begin() as session:
        from addons.crm_customer.models import Customer
        from core.models import User

        rep = session.get(User, world.users["east.rep"])
        own = Customer(division_id=rep.division_id, name="杭州钱塘机械有限公司", code="HZ-QT",
                       owner_id=rep.id)
        session.add(own)
        session.flush()
        east_customer = f"/m/crm_customer/{own.id}"
    enable(kernel, "crm_expense", "EAST")
    east = browser(app, "east.rep")
    assert "/m/crm_expense_claim" in east.get("/").text
    assert "Expense requests" in east.get(east_customer).text
    assert bearer(app, "east.rep").get(API).status_code == 200
    hq_claim = file_claim(world, bearer(app, "li.na"))
    disable(kernel, "crm_expense", "EAST")
    home = east.get("/").text
    assert "/m/crm_expense_claim" not in home and "/r/expense_by_customer" not in home
    assert bearer(app, "east.rep").get(API).status_code == 404
    assert east.get("/m/crm_expense_claim").status_code == 404
    assert east.get(f"/a/crm_expense/claims/{hq_claim}/voucher").status_code == 404
    tabs = east.get(east_customer)
    assert tabs.status_code == 200 and "Expense requests" not in tabs.text
    # HQ keeps everything: menus, API, the customer's expense tab.
    rep = browser(app, "li.na")
    assert "/m/crm_expense_claim" in rep.get("/").text
    assert bearer(app, "li.na").get(API).status_code == 200
    customer = rep.get(f"/m/crm_customer/{world.customers['nanjing']}")
    assert "与采购部工作餐" in customer.text and "Expense requests" in customer.text
    with system_context(), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ExpenseClaim)) == 1
