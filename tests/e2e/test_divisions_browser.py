"""Division first on a new deal's form, and the team panel, in a real browser (#14).

zhang.wei manages sales at 总部 (headquarters): he may work on the records of every
division. The administrator puts him on the account team of a 华东事业部 customer
(the team panel of the customer's form); his new deal's form asks for the division
first, picking that customer moves the form to 华东事业部 without a reload, and the
stage and owner pickers then offer what a 华东事业部 deal may use.
"""

from __future__ import annotations

import re

from tests.conftest import ADMIN_PASSWORD
from tests.e2e.conftest import SHOTS, sign_in

CUSTOMER = "武汉万通"  # customers of 华东事业部 in the demo data


def _pick(page, field: str, text: str, option: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """Type into a picker and choose the first (or the named) match; returns its name."""
    search = page.locator(f"#f-{field}-search")
    search.fill("")
    search.type(text, delay=20)
    choices = page.locator(f"#f-{field}-search ~ ul.choices li")
    choices.first.wait_for()
    chosen = choices.filter(has_text=option).first if option else choices.first
    name = chosen.inner_text()
    chosen.dispatch_event("mousedown")
    return str(name)


def _division(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator("#f-division_id option:checked").inner_text())


def _put_on_the_account_team(page, login_name: str) -> str:  # type: ignore[no-untyped-def]
    """As the administrator: add a user to a 华东事业部 customer's team; its name."""
    sign_in(page, "admin", ADMIN_PASSWORD)
    rows = page.evaluate("(url) => fetch(url).then(r => r.json())",
                         f"/m/crm_customer/lookup?q={CUSTOMER}")
    customer = rows[0]
    page.goto(f"/m/crm_customer/{customer['id']}")
    panel = page.locator("#team")
    search = panel.locator("#team-user-search")
    search.type(login_name, delay=20)
    panel.locator("#team-user-search ~ ul.choices li").first.wait_for()
    panel.locator("#team-user-search ~ ul.choices li").first.dispatch_event("mousedown")
    panel.locator("#team-role").select_option("account")
    panel.locator("form.teamadd button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/m/crm_customer/{customer['id']}"))
    assert login_name in page.locator("#team table").inner_text()
    page.context.clear_cookies()
    return str(customer["name"])


def test_an_hq_manager_chooses_the_division_first_and_the_pickers_follow(page) -> None:
    customer_name = _put_on_the_account_team(page, "张伟")
    sign_in(page, "zhang.wei")
    page.goto("/m/crm_opportunity/new")
    assert _division(page) == "总部"
    options = page.locator("#f-division_id option").all_inner_texts()
    assert "华东事业部" in options and len(options) == len(set(options)) >= 2
    # Picking a 华东事业部 customer moves the form to 华东事业部, without a reload.
    page.evaluate("window.kehuNoReload = true")
    customer = _pick(page, "customer_id", customer_name)
    assert _division(page) == "华东事业部"
    assert page.evaluate("window.kehuNoReload") is True
    east = page.locator("#f-division_id").input_value()
    stage_lookup = page.locator("#f-stage_id-search").locator("xpath=..").get_attribute("data-lookup")
    assert f"division={east}" in str(stage_lookup)
    # Owners offered: the division's staff and headquarters', each once.
    owner_rows = page.evaluate(
        "(url) => fetch(url).then(r => r.json())", f"/m/kehu_user/lookup?q=&division={east}")
    names = [row["name"] for row in owner_rows]
    assert len(names) == len(set(names)) and "马军" in names
    # Back to 总部 by hand: the customer of 华东事业部 is cleared.
    page.select_option("#f-division_id", label="总部")
    assert page.locator("#f-customer_id-search").input_value() == ""
    page.select_option("#f-division_id", label="华东事业部")
    _pick(page, "customer_id", customer)
    page.fill("#f-name", "武汉地铁总部跟进项目")
    page.fill("#f-amount", "880000")
    page.fill("#f-expected_close", "2026-12-30")
    modes = page.evaluate("(url) => fetch(url).then(r => r.json())",
                          f"/m/crm_sales_mode/lookup?q=&division={east}")
    mode_names = [row["name"] for row in modes]
    assert len(mode_names) == len(set(mode_names))
    _pick(page, "sales_mode_id", mode_names[0])
    stages = _pick(page, "stage_id", "01")
    assert stages.startswith(mode_names[0])  # stages follow the chosen sales mode
    page.set_viewport_size({"width": 1440, "height": 900})
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "divisions-new-deal.png"), full_page=True)
    page.click(".formactions button[type=submit]")
    page.wait_for_url(re.compile(r"/m/crm_opportunity/\d+$"))
    assert customer in page.content()
    page.goto(page.url + "?edit=1")  # the saved deal opens in read mode; its form (#19)
    # The saved deal is 华东事业部's: its pickers ask for that division's entries.
    assert f"/m/crm_stage/lookup?division={east}" in page.content()
    assert page.locator("#f-division_id").count() == 0
