"""A deal's page in a real browser (#19): read mode, Edit and the save notice, a click on
the stage bar, and closing lost without a reason (refused inline, what was typed kept),
at 1440×900 and 390×844 in both languages. Screenshots go under the test's tmp path."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import DEMO_PASSWORD, sign_in

SIZES = {"wide": (1440, 900), "phone": (390, 844)}
WORDS = {  # what the pages say, per language
    "zh_CN": {"edit": "编辑", "saved": "已保存", "lost": "丢单", "required": "必填"},
    "en": {"edit": "Edit", "saved": "Saved.", "lost": "Lost", "required": "required"},
}


def _new_deal(server: str, name: str) -> int:
    """An open deal of guo.qing's (华东事业部), made through the API."""
    with httpx.Client(base_url=server, timeout=30) as api:
        token = api.post("/api/v1/auth/token", json={"login": "guo.qing",
                                                     "password": DEMO_PASSWORD}).json()["token"]
        api.headers["Authorization"] = f"Bearer {token}"
        customer = api.get("/api/v1/crm_customer", params={"limit": 1}).json()["data"][0]
        mode = next(m for m in api.get("/api/v1/crm_sales_mode").json()["data"]
                    if m["code"] == "si_supply")
        stages = [s for s in api.get("/api/v1/crm_stage", params={"limit": 100}).json()["data"]
                  if s["sales_mode_id"]["id"] == mode["id"] and s["active"]]
        first = min(stages, key=lambda stage: stage["sequence"])
        created = api.post("/api/v1/crm_opportunity", json={
            "name": name, "customer_id": customer["id"], "sales_mode_id": mode["id"],
            "stage_id": first["id"], "amount": "120000",
            "expected_close": (dt.date.today() + dt.timedelta(days=60)).isoformat()})
        assert created.status_code == 201, created.text
        return int(created.json()["id"])


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("language", sorted(WORDS))
def test_a_deal_reads_edits_moves_and_closes_lost(browser, server, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  language: str, size: str) -> None:
    width, height = SIZES[size]
    words = WORDS[language]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="zh-CN" if language == "zh_CN" else "en-US",
                                  base_url=server)
    page = context.new_page()
    shots = tmp_path / "shots"
    shots.mkdir()

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"deal-{language}-{size}-{name}.png"), full_page=True)

    def fits() -> None:  # nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    name = f"读写模式测试 {language} {size}"
    deal = _new_deal(server, name)
    sign_in(page, "guo.qing")
    page.goto(f"/lang/{language}?next=/m/crm_opportunity/{deal}")
    page.wait_for_url(f"**/m/crm_opportunity/{deal}")

    # Read mode: text with names, no inputs; the stage bar on the first stage of the mode.
    assert page.locator("form.recordform").count() == 0
    assert page.locator(".recordread").inner_text().count(name) >= 1
    assert "#" not in page.locator(".readfield[data-field=customer_id] dd").inner_text()
    current = page.locator(".statusbar li.current").inner_text().strip()
    assert current == "项目信息"
    fits()
    shot("read")

    # Edit, change the amount, save: a notice, back in read mode with the new value.
    page.click("#edit-record")
    page.wait_for_selector("form.recordform")
    page.fill("#f-amount", "156000")
    shot("edit")
    page.click(".formactions button.primary")
    page.wait_for_selector(".notice.success")
    assert words["saved"] in page.locator(".notice.success").inner_text()
    assert "156,000" in page.locator(".readfield[data-field=amount] dd").inner_text()
    assert page.locator("form.recordform").count() == 0

    # A click on the next stage moves the deal there (the server re-checks), with a notice.
    page.locator(".statusbar li button", has_text="售前方案").click()
    page.wait_for_selector(".notice.success")
    assert page.locator(".statusbar li.current").inner_text().strip() == "售前方案"
    assert page.locator(".statusbar li.passed").count() == 1
    fits()
    shot("moved")

    # Close lost without a reason: refused on the same page, the note kept, the reason named.
    page.locator("details.actionform:has(form[action$='/do/close_lost']) summary").click()
    page.fill("#act-close_lost-note", "客户预算砍掉一半")
    page.locator("form[action$='/do/close_lost'] button[type=submit]").click()
    page.wait_for_selector("details.actionform[open] .fielderror")
    assert page.locator("#act-close_lost-note").input_value() == "客户预算砍掉一半"
    assert page.locator("#act-close_lost-reason-error").is_visible()
    fits()
    shot("lost-refused")

    # With a reason it closes: a notice, the status shown, the bar no longer clickable.
    page.fill("#act-close_lost-reason-search", "价格")
    page.locator("form[action$='/do/close_lost'] .choices li").first.click()
    page.locator("form[action$='/do/close_lost'] button[type=submit]").click()
    page.wait_for_selector(".notice.success")
    assert words["lost"] in page.locator(".statebadge").inner_text()
    assert page.locator(".statusbar li button").count() == 0
    assert page.locator("details.actionform:has(form[action$='/do/close_lost'])").count() == 0
    shot("lost")
    context.close()
