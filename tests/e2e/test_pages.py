"""A sales manager and a rep use the generated pages in a real browser."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.e2e


def test_create_a_customer_with_a_validation_error_then_success(page) -> None:
    sign_in(page, "li.na")
    page.goto("/m/crm_customer/new")
    page.fill("#f-code", "E2E-001")
    page.click("button.primary[type=submit]")
    error = page.locator("#e-name")
    assert error.inner_text() == "此字段为必填项。"
    shot(page, "form-error")
    page.fill("#f-name", "南京新元自动化设备有限公司")
    page.fill("#f-region_id-search", "南京")
    page.locator(".picker .choices li", has_text="南京市").first.click()
    page.select_option("#f-level", "B")
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r".*/m/crm_customer/\d+$"))
    assert page.locator("h1").inner_text() == "南京新元自动化设备有限公司"
    # Saved, the record opens in read mode: the region by its name (#19).
    assert page.locator(".readfield[data-field=region_id] dd").inner_text() == "南京市"


def test_filter_and_group_a_list(page) -> None:
    sign_in(page, "zhang.wei")
    page.goto("/m/crm_customer?cols=code,name")
    first = page.locator("table.grid tbody td:nth-child(3)").first.inner_text()
    term = first[:4]
    page.fill(".searchbar input[name=q]", term)  # not the global search box (#18)
    page.click(".searchbar button[type=submit]")
    names = page.locator("table.grid tbody td:nth-child(3)").all_inner_texts()
    assert names and all(term in name for name in names)
    page.goto("/m/crm_customer")
    page.select_option("select[name=group]", "level")
    page.click(".searchbar button[type=submit]")
    groups = page.locator("table.grid tbody tr")
    assert groups.count() >= 3
    total = int(page.locator("tfoot th.num").inner_text())
    counts = [int(c) for c in page.locator("table.grid tbody td.num").all_inner_texts()]
    assert sum(counts) == total
    shot(page, "list-grouped")
    groups.first.locator("a").click()
    assert page.locator("table.grid tbody tr").count() == min(counts[0], 50)  # one page


def test_drag_a_kanban_card_to_another_column(page) -> None:
    page.set_viewport_size({"width": 1920, "height": 1000})  # every column in view
    sign_in(page, "zhang.wei")
    page.goto("/m/crm_customer/kanban")
    card = page.locator(".kcolumn[data-column=to_identify] .kcard").first
    card_id = card.get_attribute("data-id")
    drag(page, card, page.locator(".kcolumn[data-column=lost]"))
    page.wait_for_selector(f".kcolumn[data-column=lost] .kcard[data-id='{card_id}']")
    shot(page, "kanban-moved")


def drag(page, source, target) -> None:
    """Drag with real mouse moves, as a person does (HTML5 drag and drop)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + start["height"] - 8)
    page.mouse.down()
    page.mouse.move(start["x"] + 30, start["y"] + start["height"], steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 60, steps=15)
    page.mouse.up()


def test_switch_language(page) -> None:
    sign_in(page, "li.na")
    page.goto("/m/crm_customer")
    assert page.locator("h1").inner_text() == "客户"
    page.click("a[lang=en]")
    assert page.locator("h1").inner_text() == "Customers" or page.locator("h1").inner_text() == "Customer"
    page.goto("/")
    assert "My to-dos" in page.content()  # the workbench (#18)
    page.click("a[lang=zh-CN]")
    assert "我的待办" in page.content()


def test_a_phone_sized_screen_shows_cards_not_a_wide_table(browser, server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN",
                                  base_url=server)
    page = context.new_page()
    sign_in(page, "li.na")
    page.goto("/m/crm_customer")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(page, "phone-list")
    context.close()


def test_import_a_file_with_bad_rows_and_read_the_error_report(page, tmp_path) -> None:
    sign_in(page, "li.na")
    page.goto("/m/crm_customer/import")
    csv_file = tmp_path / "客户导入.csv"
    csv_file.write_bytes(("名称,编码,电话\n"
                          "苏州新元电气有限公司,E2E-IMP-1,0512-1\n"
                          ",E2E-IMP-2,0512-2\n"
                          "无锡宏达机电有限公司,E2E-IMP-3,0510-3\n").encode("gbk"))
    page.set_input_files("input[type=file]", str(csv_file))
    page.click("form button.primary")
    # The import runs as a job (#20); its page refreshes until the result is in.
    page.wait_for_selector("span.error:has-text('未导入任何记录')", timeout=60_000)
    page.wait_for_selector("table.errors")
    rows = page.locator("table.errors tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").first.inner_text() == "3"
    shot(page, "import-errors")
    with page.expect_download() as download:
        page.click("a[href$='errors.csv']")
    report = download.value.path().read_bytes().decode("utf-8-sig")
    assert report.splitlines()[1].startswith("3,")
