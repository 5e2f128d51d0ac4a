"""The closed campaign loop in a real browser (#16): liu.yang (marketing) applies for a
seminar, her superior approves it, leads come in from it, one becomes a won deal, the
close-out is filed and approved, and the ROI report shows the campaign's cost per lead
and won value; a rep reports a competitor's price cut, loses a deal to it, and the
lost-to-competitor report shows it. On the demo server the other e2e tests share."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, shot

pytestmark = pytest.mark.e2e


def signed_in(browser, server: str, login: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                  base_url=server)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/")
    return page


def pick(page, field, text: str, choice: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a searching picker (a locator or a CSS selector) and choose `choice`."""
    field = page.locator(field) if isinstance(field, str) else field
    field.fill(text)
    picker = page.locator(".picker", has=field)
    picker.locator(".choices li", has_text=choice).first.click()


def save(page, model: str) -> str:  # type: ignore[no-untyped-def]
    page.click("form.recordform button.primary[type=submit]")
    page.wait_for_url(re.compile(rf".*/m/{model}/\d+$"))
    return str(page.url)


def act(page, key: str) -> None:  # type: ignore[no-untyped-def]
    """Open a record action's form (its parameters are filled by the caller)."""
    page.locator(f"details.actionform:has(form[action$='/do/{key}']) summary").click()


def run(page, key: str) -> None:  # type: ignore[no-untyped-def]
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"form[action$='/do/{key}'] button[type=submit]").click()
    page.wait_for_load_state()


def fire(page, url: str, label: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.locator(".workflow button", has_text=label).click()
    page.wait_for_url(url)


def approve_everything(browser, server: str, title: str) -> None:  # type: ignore[no-untyped-def]
    """Each approver in turn approves `title` from their inbox until nobody has it."""
    for login in ("gm", "zhang.wei", "chen.jing", "gm"):
        page = signed_in(browser, server, login)
        page.goto("/approvals")
        rows = page.locator("tr", has_text=title)
        if rows.count():
            rows.first.locator("button", has_text="批准").click()
            page.wait_for_url("**/approvals")
        page.context.close()


def test_a_seminar_from_application_to_roi_and_a_competitor_s_price_cut(browser, server) -> None:
    tag = uuid.uuid4().hex[:6]
    seminar = f"智能制造技术研讨会 {tag}"
    marketing = signed_in(browser, server, "liu.yang")

    # The application: a seminar with its budget.
    marketing.goto("/m/crm_marketing_campaign/new")
    marketing.fill("#f-name", seminar)
    pick(marketing, "#f-category_id-search", "研讨", "技术研讨会")
    marketing.fill("#f-date_from", "2026-11-12")
    marketing.fill("#f-date_to", "2026-11-13")
    marketing.fill("#f-place", "苏州国际博览中心")
    marketing.fill("#f-goal", "推广新一代控制柜，收集苏南制造企业线索")
    marketing.fill("#f-expected_leads", "20")
    pick(marketing, marketing.locator("input[name='budget_lines.1.cost_type_id'] + input"),
         "场地", "场地费")
    marketing.fill("input[name='budget_lines.1.amount']", "8000")
    campaign_url = save(marketing, "crm_marketing_campaign")
    campaign_id = campaign_url.rsplit("/", 1)[1]
    fire(marketing, campaign_url, "提交")
    shot(marketing, "marketing-campaign-submitted")
    approve_everything(browser, server, seminar)
    marketing.goto(campaign_url)
    assert "已批准" in marketing.locator(".workflow h2").inner_text()

    # Leads come in from the campaign.
    leads = []
    for company in (f"苏州精工 {tag}", f"无锡电气 {tag}"):
        marketing.goto("/m/crm_lead/new")
        marketing.fill("#f-name", f"{company} 控制柜需求")
        marketing.fill("#f-company", company)
        pick(marketing, "#f-campaign_id-search", seminar[:6], seminar)
        leads.append((save(marketing, "crm_lead"), f"{company} 控制柜需求"))

    # The manager hands them to li.na and qualifies them into deals.
    manager = signed_in(browser, server, "zhang.wei")
    deals = []
    for (lead_url, name), amount in zip(leads, ("120000", "90000"), strict=True):
        manager.goto(lead_url)
        act(manager, "assign")
        pick(manager, "#act-assign-user-search", "李娜", "李娜")
        run(manager, "assign")
        manager.goto(lead_url)
        act(manager, "qualify")
        pick(manager, "#act-qualify-sales_mode-search", "SI", "SI")
        manager.fill("#act-qualify-expected_close", "2026-12-20")
        manager.fill("#act-qualify-amount", amount)
        run(manager, "qualify")
        assert "已转化" in manager.locator("body").inner_text()
        # The deal takes the lead's name (and its campaign).
        manager.goto(f"/m/crm_opportunity?q={tag}")
        manager.locator("a", has_text=name).first.click()
        manager.wait_for_url(re.compile(r".*/m/crm_opportunity/\d+$"))
        deals.append(manager.url)
    rep = signed_in(browser, server, "li.na")
    rep.goto(deals[0])
    assert seminar in rep.locator(".readfield[data-field=campaign_id] dd").inner_text()  # #19
    act(rep, "close_won")
    rep.fill("#act-close_won-signed_on", "2026-12-01")
    run(rep, "close_won")
    rep.goto(deals[0])
    assert "赢单" in rep.locator("body").inner_text()

    # The close-out with its actual cost, approved: the campaign is closed.
    marketing.goto("/m/crm_marketing_closeout/new")
    marketing.fill("#f-title", f"{seminar} 结案")
    pick(marketing, "#f-campaign_id-search", seminar[:6], seminar)
    marketing.fill("#f-attendance", "46")
    pick(marketing, marketing.locator("input[name='lines.1.cost_type_id'] + input"),
         "场地", "场地费")
    marketing.fill("input[name='lines.1.date']", "2026-11-12")
    marketing.fill("input[name='lines.1.amount']", "7600")
    closeout_url = save(marketing, "crm_marketing_closeout")
    fire(marketing, closeout_url, "提交")
    approve_everything(browser, server, f"{seminar} 结案")
    marketing.goto(campaign_url)
    assert "已结案" in marketing.locator(".workflow h2").inner_text()

    # ROI: 7,600 over 2 leads = 3,800 a lead; 120,000 won.
    marketing.goto(f"/r/campaign_roi?rows=campaign&campaign={campaign_id}")
    row = marketing.locator("tr", has_text=seminar).first
    text = row.inner_text()
    assert "3,800.00" in text and "120,000.00" in text, text
    shot(marketing, "marketing-campaign-roi")

    # A rep reports a competitor's price cut, then loses the other deal to it.
    rival = f"华控科技 {tag}"
    rep.goto("/m/crm_competitor/new")
    rep.fill("#f-name", rival)
    save(rep, "crm_competitor")
    rep.goto("/m/crm_marketing_competitor_move/new")
    pick(rep, "#f-competitor_id-search", rival[:4], rival)
    rep.select_option("#f-kind", "price_change")
    rep.fill("#f-new_price", "9800")
    rep.fill("#f-summary", f"{rival} 控制柜在苏州降价 18%")
    save(rep, "crm_marketing_competitor_move")
    rep.goto(deals[1])
    act(rep, "close_lost")
    pick(rep, "#act-close_lost-reason-search", "竞争", "竞争")
    pick(rep, "#act-close_lost-competitor-search", rival[:4], rival)
    rep.fill("#act-close_lost-note", "对方降价 18%")
    run(rep, "close_lost")
    manager.goto("/r/lost_to_competitor?rows=competitor&columns=")
    lost = manager.locator("tr", has_text=rival).first.inner_text()
    assert "90,000.00" in lost, lost
    shot(manager, "marketing-lost-to-competitor")
