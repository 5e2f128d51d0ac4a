"""The customer pages as a rep uses them: the form's errors, the duplicate warning, actions."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from core.testing.web import csrf_token, sign_in
from tests.conftest import ADMIN_PASSWORD
from tests.core.org_fixtures import PASSWORD

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only


def rep(app) -> TestClient:
    return sign_in(TestClient(app, headers={"Accept-Language": "zh-CN"}), "li.na", PASSWORD)


def errors_of(html: str) -> dict[str, str]:
    return {name: re.sub(r"<[^>]+>", "", text).strip()
            for name, text in re.findall(r'id="e-(\w+)"[^>]*>(.*?)</', html, re.S)}


def test_a_new_customer_form_names_each_wrong_field_then_saves(app, org) -> None:
    client = rep(app)
    token = csrf_token(client.get("/m/crm_customer/new").text)
    answer = client.post("/m/crm_customer/new", data={
        "csrf_token": token, "code": "NJ-100", "level": "A", "phone": "联系电话"})
    assert answer.status_code == 422
    assert errors_of(answer.text) == {"name": "此字段为必填项。"}
    answer = client.post("/m/crm_customer/new", data={
        "csrf_token": token, "name": "南京天成物流有限公司", "code": "NJ-100", "phone": "联系电话",
        "email": "tc@", "website": "天成 物流"})
    assert answer.status_code == 422
    assert set(errors_of(answer.text)) == {"phone", "email", "website"}
    assert 'value="南京天成物流有限公司"' in answer.text  # what was typed stays
    saved = client.post("/m/crm_customer/new", data={
        "csrf_token": token, "name": "南京天成物流有限公司", "code": "NJ-100",
        "phone": "025-52881234", "email": "tc@tiancheng-wl.cn", "website": "www.tiancheng-wl.cn"},
        follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"] + "?edit=1").text  # the form (#19)
    assert "南京天成物流有限公司" in page and 'id="f-not_duplicate"' in page
    assert not re.search(r'id="f-not_duplicate"[^>]*checked', page)


def test_the_form_warns_of_a_duplicate_and_saves_once_it_is_ticked(app, org) -> None:
    client = rep(app)
    token = csrf_token(client.get("/m/crm_customer/new").text)
    data = {"csrf_token": token, "name": "南京华信机电有限公司", "code": "NJ-101"}
    warned = client.post("/m/crm_customer/new", data=data)
    assert warned.status_code == 422
    assert "疑似与已有客户重复" in warned.text and "NANJING" in warned.text
    assert "NANJING" in errors_of(warned.text)["name"]
    kept = client.post("/m/crm_customer/new", data={**data, "not_duplicate": "y"},
                       follow_redirects=False)
    assert kept.status_code == 303


def test_the_customer_form_offers_the_life_cycle_and_pool_actions_a_rep_may_take(app, org) -> None:
    client = rep(app)
    page = client.get(f"/m/crm_customer/{org.customers['nanjing']}").text
    for label in ("转正式客户", "转为商机客户", "标记为流失", "退回公海"):
        assert label in page
    for label in ("合并到另一个客户", "分配给业务员", "移交该业务员的全部客户"):
        assert label not in page  # managers' actions


def test_every_list_form_and_board_of_the_addon_opens_for_an_administrator(app, org) -> None:
    admin = sign_in(TestClient(app, headers={"Accept-Language": "zh-CN"}), "admin", ADMIN_PASSWORD)
    tables = ["crm_customer", "crm_contact", "crm_customer_relation", "crm_ticket", "crm_product",
              "crm_product_category", "crm_industry", "crm_lead_source", "crm_customer_type",
              "crm_problem_type", "crm_pool_rule", "crm_claim_limit", "crm_pool_claim"]
    for table in tables:
        assert admin.get(f"/m/{table}").status_code == 200, table
        assert admin.get(f"/m/{table}/new").status_code == 200, table
    for table in ("crm_customer", "crm_ticket"):
        assert admin.get(f"/m/{table}/kanban").status_code == 200, table
    rules = admin.get("/m/crm_pool_rule").text
    assert "N 天无跟进行动" in rules and "业务员已离职" in rules  # seeded for every division
    assert "工业制造" in admin.get("/m/crm_industry").text
