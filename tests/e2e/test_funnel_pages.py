"""The sales funnel in a real browser (#7): kanban drag between stages, the funnel chart."""

from __future__ import annotations

from tests.e2e.conftest import SHOTS, shot, sign_in
from tests.e2e.test_pages import drag

FIRST = "SI 供货 · 01 项目信息"
SECOND = "SI 供货 · 02 售前方案"
OTHER_MODE = "项目销售 · 02 工程设计"


def _column(page, label: str):  # type: ignore[no-untyped-def]
    return page.locator(f".kcolumn[aria-label='{label}']")


def test_drag_an_opportunity_to_the_next_stage_and_back_across_modes(page) -> None:
    page.set_viewport_size({"width": 3400, "height": 1000})  # both pipelines in view
    sign_in(page, "guo.qing")  # a rep of 华东事业部: that division's two pipelines
    page.goto("/m/crm_opportunity/kanban")
    card = _column(page, FIRST).locator(".kcard", has_text="进行中").first  # an open deal
    card_id = card.get_attribute("data-id")
    before = int(_column(page, SECOND).locator("h2 .muted").inner_text())
    drag(page, card, _column(page, SECOND))
    # The board reloads; the column shows its newest cards, so count rather than look.
    page.wait_for_function(
        "([label, count]) => {"
        "  const badge = document.querySelector(`.kcolumn[aria-label='${label}'] h2 .muted`);"
        "  return badge !== null && badge.textContent.trim() === String(count);"  # mid-reload
        "}", arg=[SECOND, before + 1])
    assert _column(page, FIRST).locator(f".kcard[data-id='{card_id}']").count() == 0
    page.set_viewport_size({"width": 1600, "height": 900})
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "funnel-kanban-moved.png"))
    page.set_viewport_size({"width": 3400, "height": 1000})

    # The move is in the deal's stage history, with the new probability.
    page.goto(f"/m/crm_opportunity/{card_id}")
    assert "售前方案" in page.content()

    # A stage of the other sales mode is refused, with the reason, and nothing moves.
    page.goto("/m/crm_opportunity/kanban")
    moved = _column(page, SECOND).locator(".kcard", has_text="进行中").first
    card_id = moved.get_attribute("data-id")
    with page.expect_event("dialog") as shown:
        drag(page, moved, _column(page, OTHER_MODE))
    message = shown.value.message
    shown.value.accept()
    assert "不属于该商机的销售模式" in message
    page.goto("/m/crm_opportunity/kanban")
    assert _column(page, SECOND).locator(f".kcard[data-id='{card_id}']").count() == 1


def test_the_funnel_chart_shows_the_stages(page) -> None:
    sign_in(page, "ma.jun")  # the sales manager of 华东事业部
    page.goto("/r/funnel_stages")
    page.wait_for_selector("canvas")
    content = page.content()
    assert FIRST in content and "签订合同" not in page.locator("table").inner_text()
    # One sales mode at a time reads as a funnel.
    page.goto("/r/funnel_stages?f=si_supply")
    page.wait_for_selector("canvas")
    table = page.locator("table").inner_text()
    assert FIRST in table and "项目销售" not in table
    shot(page, "funnel-chart")
    page.goto("/r/weighted_forecast")
    page.wait_for_selector("canvas")
    shot(page, "funnel-forecast")
