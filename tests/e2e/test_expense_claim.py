"""A rep files a claim for a customer visit; the manager and finance approve it; the rep
prints the voucher; the customer expense report shows the amount (a real browser)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, shot

pytestmark = pytest.mark.e2e


def signed_in(browser, server: str, login: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  base_url=server)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/")
    return page


def pick(page, label: str, text: str, choice: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a searching picker and choose the suggestion containing `choice`."""
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    picker = page.locator(".picker", has=field)
    picker.locator(".choices li", has_text=choice).first.click()


def test_a_claim_from_filing_to_the_voucher_and_the_report(browser, server) -> None:
    rep = signed_in(browser, server, "li.na")
    rep.goto("/m/crm_expense_claim/new")
    rep.fill("#f-title", "拜访客户差旅报销")
    rep.fill("#f-date_from", "2026-11-01")
    rep.fill("#f-date_to", "2026-11-30")
    rep.fill("input[name='lines.1.date']", "2026-11-18")
    pick(rep, "费用类型 1", "差旅", "差旅费")
    rep.fill("input[name='lines.1.amount']", "1280.00")
    pick(rep, "客户 1", "南京", "南京")
    customer = rep.get_by_label("客户 1", exact=True).input_value()
    rep.fill("input[name='lines.1.description']", "上海—南京高铁往返及一晚住宿")
    rep.click("button.primary[type=submit]")
    rep.wait_for_url(re.compile(r".*/m/crm_expense_claim/\d+$"))
    claim_url = rep.url
    total = rep.locator(".readfield[data-field=total] dd").inner_text()  # read mode (#19)
    assert "1,280.00" in total or "1280.00" in total
    rep.locator(".workflow button", has_text="提交").click()
    rep.wait_for_url(claim_url)
    assert "已提交" in rep.locator(".workflow h2").inner_text()
    shot(rep, "expense-claim-submitted")

    manager = signed_in(browser, server, "zhang.wei")
    manager.goto("/approvals")
    row = manager.locator("tr", has_text="拜访客户差旅报销").first
    shot(manager, "expense-inbox-manager")
    row.locator("button", has_text="批准").click()
    manager.wait_for_url("**/approvals")
    assert manager.locator("tr", has_text="拜访客户差旅报销").count() == 0

    finance = signed_in(browser, server, "chen.jing")
    finance.goto("/approvals")
    finance.locator("tr", has_text="拜访客户差旅报销").first.locator("button", has_text="批准").click()
    finance.wait_for_url("**/approvals")
    finance.goto(claim_url)
    assert "已批准" in finance.locator(".workflow h2").inner_text()
    finance.locator(".workflow button", has_text="标记已支付").click()
    finance.wait_for_url(claim_url)
    assert "已支付" in finance.locator(".workflow h2").inner_text()
    shot(finance, "expense-claim-paid")

    rep.goto(claim_url)
    rep.locator("a", has_text="打印报销凭证").click()
    rep.wait_for_url(re.compile(r".*/voucher$"))
    voucher = rep.locator("article.voucher").inner_text()
    for text in ("报销凭证", "拜访客户差旅报销", "李娜", "张伟", "陈静", "壹仟贰佰捌拾元整", customer):
        assert text in voucher, text
    shot(rep, "expense-voucher")
    pdf = rep.request.get(rep.url + ".pdf")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"

    finance.goto("/r/expense_by_customer")
    row = finance.locator("tr", has_text=customer).first
    assert "1,280.00" in row.inner_text()
    shot(finance, "expense-report-customer")
    for page in (rep, manager, finance):
        page.context.close()
