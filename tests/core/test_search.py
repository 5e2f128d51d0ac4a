"""Global search (#18): name, code, phone, pinyin and initials; never a record the user cannot read."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import Customer
from core.context import acting_as, system_context
from core.search.models import SearchToken
from core.search.query import search
from core.search.tokens import tokens_of
from core.testing.web import sign_in
from tests.core.org_fixtures import PASSWORD, build_org


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


def _titles(kernel, org, login: str, query: str) -> dict[str, list[str]]:
    actor = org.actor(kernel, login)
    with acting_as(actor), kernel.session() as session:
        return {group.key: [hit.title for hit in group.hits]
                for group in search(session, kernel, actor, query)}


def test_tokens_cover_words_suffixes_pinyin_and_initials() -> None:
    tokens = tokens_of(["南京新星电气有限公司", "025-8342 1234", "Li.Na@Example.com"])
    for wanted in ("南京新星电气有限公司", "新星电气有限公司", "nanjingxinxingdianqiyouxiangongsi",
                   "xinxingdianqiyouxiangongsi", "njxxdqyxgs", "xxdqyxgs", "02583421234", "1234",
                   "li.na@example.com", "example"):
        assert wanted in tokens, wanted


def test_found_by_name_code_phone_pinyin_and_initials(kernel, org) -> None:
    with system_context(), kernel.sessions.begin() as session:
        session.get(Customer, org.customers["nanjing"]).phone = "025-83421234"
    nanjing = "南京华信机电有限公司"
    for query in ("南京华信", "华信机电", "83421234", "1234", "huaxin", "njhxjd", "hxjd",
                  "南京 机电", "nanjing jidian"):
        assert _titles(kernel, org, "li.na", query).get("crm_customer") == [nanjing], query
    # Its code, NANJING, is also the pinyin of 南京: both of li.na's Nanjing customers.
    assert _titles(kernel, org, "li.na", "NANJING")["crm_customer"] == [nanjing, "南京长城物流有限公司"]
    assert _titles(kernel, org, "li.na", "n") == {}  # one Latin letter searches nothing


def test_never_returns_a_record_the_user_cannot_read(kernel, org) -> None:
    # wang.qiang covers 浙江: li.na's 江苏 customers are not his to see.
    assert _titles(kernel, org, "wang.qiang", "nanjing") == {}
    assert _titles(kernel, org, "wang.qiang", "hangzhou").get("crm_customer") == ["杭州金桥商贸有限公司"]
    # HQ's customer stays in HQ.
    assert "苏州宏达电气有限公司" not in _titles(kernel, org, "mgr", "suzhou").get("crm_customer", [])


@pytest.mark.sqlite_only
def test_tokens_follow_renames_and_deletes(kernel, org) -> None:
    nanjing = org.customers["nanjing"]
    with system_context(), kernel.sessions.begin() as session:
        session.get(Customer, nanjing).name = "南京新星电气有限公司"
    assert _titles(kernel, org, "li.na", "njxx").get("crm_customer") == ["南京新星电气有限公司"]
    assert _titles(kernel, org, "li.na", "huaxin") == {}
    with system_context(), kernel.sessions.begin() as session:
        session.delete(session.get(Customer, org.customers["second"]))
        session.flush()
        left = session.scalar(sa.select(sa.func.count()).select_from(SearchToken).where(
            SearchToken.model == "crm_customer", SearchToken.res_id == org.customers["second"]))
    assert left == 0


@pytest.mark.sqlite_only
def test_the_search_box_answers_json_and_a_page(kernel, org) -> None:
    from core.web.app import create_app

    client = sign_in(TestClient(create_app(kernel=kernel)), "li.na", PASSWORD)
    body = client.get("/search.json", params={"q": "njhx"}).json()
    [group] = body["groups"]
    assert group["key"] == "crm_customer" and group["label"] == "Customer"
    assert group["hits"][0]["url"] == f"/m/crm_customer/{org.customers['nanjing']}"
    page = client.get("/search", params={"q": "njhx", "lang": "zh_CN"}).text
    assert "南京华信机电有限公司" in page and "客户" in page
