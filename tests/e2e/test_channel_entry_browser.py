"""crm_channel's fast order entry in Chromium (#15): wu.ting finds a product by its pinyin
initials on a 390 px phone, types a quantity with the keyboard and adds it; in English at
1440 px the code finds the distributor's authorised products with their stock."""

from __future__ import annotations

import datetime as dt
import re

from tests.e2e.conftest import DEMO_PASSWORD, shot, sign_in

PHONE = {"width": 390, "height": 844}


def _order(browser, server) -> int:  # type: ignore[no-untyped-def]
    """A saved order of wu.ting's tier-2 distributor 广州康泰医药, made through the API."""
    context = browser.new_context(base_url=server)
    token = context.request.post("/api/v1/auth/token", data={
        "login": "wu.ting", "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    found = context.request.get("/api/v1/crm_customer", headers=headers,
                                params={"name": "广州康泰医药有限公司"}).json()["data"]
    distributor = next(row["id"] for row in found if row["name"] == "广州康泰医药有限公司")
    made = context.request.post("/api/v1/crm_channel_order", headers=headers, data={
        "distributor_id": distributor, "order_date": dt.date.today().isoformat()})
    assert made.status == 201, made.text()
    order = int(made.json()["id"])
    context.close()
    return order


def test_a_rep_adds_a_product_found_by_pinyin_initials_on_a_phone(browser, server) -> None:  # type: ignore[no-untyped-def]
    order = _order(browser, server)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=server,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, "wu.ting")
    page.goto(f"/m/crm_channel_order/{order}?lang=zh_CN")
    page.click("text=快速录入产品")
    page.wait_for_url(re.compile(rf".*/a/crm_channel/orders/{order}/entry.*"))
    page.fill("#entry-q", "lhqw")  # 连花清瘟: the list narrows to it as the rep types
    page.locator("li.offer").nth(1).wait_for(state="detached")
    assert page.locator("li.offer", has_text="连花清瘟胶囊").count() == 1
    assert page.locator("li.offer .stock").count() == 1  # the distributor's computed stock
    page.press("#entry-q", "ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('qty')")
    page.keyboard.type("20")
    shot(page, "channel-entry-typed-390")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*added=1.*"))
    assert page.locator("table.lines td", has_text="连花清瘟胶囊").count() == 1
    assert page.locator("table.lines td.num", has_text="20").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("document.activeElement.id") == "entry-q"  # ready for the next one
    shot(page, "channel-entry-added-390")
    context.close()


def test_the_code_lists_the_authorised_products_in_english(browser, server) -> None:  # type: ignore[no-untyped-def]
    order = _order(browser, server)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en",
                                  base_url=server)
    page = context.new_page()
    sign_in(page, "wu.ting")
    page.goto(f"/a/crm_channel/orders/{order}/entry?lang=en")
    page.fill("#entry-q", "YP00")
    page.locator("li.offer").nth(9).wait_for(state="detached")  # YP001…YP009 at most
    codes = page.locator("li.offer .sub").all_inner_texts()
    assert not any("YP003" in text for text in codes)  # not authorised for a tier-2 here
    assert page.locator("text=Distributor's stock").count() >= 1
    shot(page, "channel-entry-1440-en")
    context.close()
