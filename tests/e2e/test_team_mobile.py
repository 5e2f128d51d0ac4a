"""crm_team on a phone (#17): li.na's day at 390 px in Chromium, with the position granted and
refused; zhang.wei sees the team board and the reports."""

from __future__ import annotations

import base64
import re

import pytest

from tests.e2e.conftest import shot, sign_in

PHONE = {"width": 390, "height": 844}
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
                       "hKmMIQAAAABJRU5ErkJggg==")


def phone(browser, server, *, granted: bool, locale: str = "zh-CN"):  # type: ignore[no-untyped-def]
    options = {"viewport": PHONE, "locale": locale, "base_url": server, "is_mobile": True,
               "has_touch": True}
    if granted:
        options.update(geolocation={"latitude": 31.2304, "longitude": 121.4737, "accuracy": 15},
                       permissions=["geolocation"])
    return browser.new_context(**options)


def fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a 390 px screen"


def open_planned_visit(page, index: int) -> None:  # type: ignore[no-untyped-def]
    page.goto("/a/crm_team/today")
    fits(page)
    planned = page.locator("li.task:has(span.badge:not(.done):not(.here)) a.what")
    assert planned.count() > index, "the demo plans visits for li.na today"
    planned.nth(index).click()
    page.wait_for_url(re.compile(r".*/a/crm_team/visits/\d+$"))


def test_li_na_checks_in_records_a_decision_maker_with_a_photo_and_checks_out(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = phone(browser, server, granted=True)
    page = context.new_page()
    sign_in(page, "li.na")
    open_planned_visit(page, 0)
    shot(page, "team-visit-before-checkin-390")
    page.click("form.checkin button")
    page.wait_for_url(re.compile(r".*notice=.*"))
    assert page.locator("text=精度 15 米").count() == 1
    assert page.locator("text=距客户").count() >= 1
    page.fill("#purpose", "新品上架与陈列检查")
    boss = page.locator("fieldset.people label", has_text="决策者").first
    boss.locator("input").check()
    page.fill("#result", "店长同意首批进货")
    page.set_input_files("#photo", files=[{"name": "门店.png", "mimeType": "image/png",
                                            "buffer": PNG}])
    page.click("text=保存拜访")
    page.wait_for_selector("text=门店.png")
    fits(page)
    shot(page, "team-visit-recorded-390")
    page.click("form.big >> text=签退")
    page.wait_for_url(re.compile(r".*/a/crm_team/today.*"))
    assert page.locator("text=拜访时长").count() == 1
    fits(page)
    shot(page, "team-today-after-checkout-390")
    context.close()


def test_a_refused_position_still_checks_in(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = phone(browser, server, granted=False, locale="en-US")
    page = context.new_page()
    sign_in(page, "li.na")
    page.goto("/lang/en?next=/a/crm_team/today")
    open_planned_visit(page, 0)
    page.click("form.checkin button")
    page.wait_for_url(re.compile(r".*notice=.*"), timeout=30_000)
    assert page.locator("text=Position refused").count() == 1
    fits(page)
    shot(page, "team-visit-denied-390-en")
    context.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_zhang_wei_sees_the_team_board_on_a_phone(browser, server, language: str) -> None:  # type: ignore[no-untyped-def]
    context = phone(browser, server, granted=False)
    page = context.new_page()
    sign_in(page, "zhang.wei")
    page.goto(f"/lang/{language}?next=/a/crm_team/board")
    assert page.locator("table.board tbody tr").count() >= 3
    assert page.locator("text=李娜").count() >= 1
    fits(page)
    shot(page, f"team-board-390-{language}")
    page.locator("table.board a").first.click()
    page.wait_for_url(re.compile(r".*/m/crm_team_work_report/\d+"))
    context.close()
