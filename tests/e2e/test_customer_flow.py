"""A rep works a customer in a real browser; the manager looks at the department's customers."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, shot, sign_in

pytestmark = pytest.mark.e2e


def test_a_rep_adds_a_contact_a_visit_and_a_complaint_to_her_customer(page) -> None:
    sign_in(page, "li.na")
    page.goto("/m/crm_customer?f=mine")
    rows = page.locator("table.grid tbody tr")
    assert rows.count() > 10
    shot(page, "customer-my-list")
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/m/crm_customer/\d+$"))
    customer = page.locator("h1").inner_text()
    url = page.url
    assert page.locator("nav.tabs a", has_text="联系人").count() == 1
    assert page.locator("nav.tabs a", has_text="服务记录").count() == 1

    page.locator("nav.tabs a", has_text="联系人").click()
    page.locator("#tab-crm_contact-customer_id a.button", has_text="新建").click()
    assert page.locator("#f-customer_id-search").input_value() == customer
    page.fill("#f-name", "周晓东")
    page.fill("#f-title", "设备部长")
    page.fill("#f-mobile", "13851239876")
    page.select_option("#f-decision_role", "decision_maker")
    page.check("#f-is_key")
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r".*/m/crm_contact/\d+$"))

    page.goto(url)
    page.locator("nav.tabs a", has_text="联系人").click()
    assert "周晓东" in page.locator("#tab-crm_contact-customer_id").inner_text()
    page.select_option("#act-kind", "visit")
    page.fill("input[name=summary]", "上门拜访设备部，了解二期产线改造计划")
    page.click("form[action$='/activity'] button[type=submit]")
    page.locator("#chatter").get_by_text("了解二期产线改造计划").wait_for()

    page.locator("nav.tabs a", has_text="服务记录").click()
    page.locator("#tab-crm_ticket-customer_id a.button", has_text="新建").click()
    page.select_option("#f-kind", "complaint")
    page.fill("#f-subject", "二期设备到货延误，影响安装进度")
    page.fill("#f-description", "客户反映合同约定 11 月 10 日到货，至今未到，要求给出明确到货时间。")
    page.select_option("#f-priority", "high")
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r".*/m/crm_ticket/\d+$"))
    page.goto(url)
    page.locator("nav.tabs a", has_text="服务记录").click()
    assert "二期设备到货延误" in page.locator("#tab-crm_ticket-customer_id").inner_text()
    shot(page, "customer-360")


def test_the_manager_sees_the_departments_customers_by_level_and_region(page, browser,
                                                                       server) -> None:
    sign_in(page, "zhang.wei")
    for field in ("level", "region_id"):
        page.goto(f"/m/crm_customer?group={field}")
        groups = page.locator("table.grid tbody tr")
        assert groups.count() >= 3
        counts = [int(c) for c in page.locator("table.grid tbody td.num").all_inner_texts()]
        assert sum(counts) == int(page.locator("tfoot th.num").inner_text()) > 100
        shot(page, f"customer-by-{field}")
    phone = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN",
                                base_url=server)
    small = phone.new_page()
    sign_in(small, "zhang.wei", DEMO_PASSWORD)
    small.goto("/m/crm_customer?group=level")
    assert small.locator("table.grid tbody tr").count() >= 3
    shot(small, "customer-by-level-phone")
    small.goto("/m/crm_customer")
    small.locator("table.grid tbody tr").first.locator("a").first.click()
    small.wait_for_url(re.compile(r".*/m/crm_customer/\d+$"))
    shot(small, "customer-360-phone")
    phone.close()
