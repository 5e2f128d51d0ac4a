"""Report pages in headless Chromium: ECharts draws the chart, on a desktop and a phone.

A server of its own: the demo database plus the sample addon `rp_deal`
(tests/core/report_addons) enabled in HQ, with deals of three reps.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import KEHU, ROOT
from tests.e2e.conftest import demo_env, serving, shot, sign_in

ADDONS = ROOT / "tests" / "core" / "report_addons"
ECHARTS = ROOT / "core" / "web" / "static" / "vendor" / "echarts.min.js"
DEALS = [  # owner, stage, amount, probability, close date
    ("li.na", "lead", "50000", 20, "2026-01-15"),
    ("li.na", "proposal", "120000", 50, "2026-02-10"),
    ("li.na", "won", "80000.50", 100, "2026-02-28"),
    ("wang.qiang", "proposal", "200000", 60, "2026-04-01"),
    ("wang.qiang", "won", "45000.25", 100, "2026-05-20"),
    ("zhou.jie", "proposal", "160000", 40, "2026-03-12"),
    ("zhou.jie", "lead", "30000", 10, "2026-06-30"),
]


def _deals(env: dict[str, str]) -> None:
    """Deals of three reps in HQ, written as the system (no page to enter them yet)."""
    from core.context import system_context
    from core.kernel import boot
    from core.models import Division, User
    from core.settings import load_settings

    settings = load_settings(database_url=env["KEHU_DATABASE_URL"], addons_path=[ADDONS],
                             secret_key_file=Path(env["KEHU_SECRET_KEY_FILE"]))
    kernel = boot(settings)
    deal = next(m for m in kernel.models["rp_deal"] if m.__tablename__ == "rp_deal")
    with system_context(), kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division.id).where(Division.code == "HQ"))
        users = {login: user_id for login, user_id in session.execute(sa.select(User.login, User.id))}
        for number, (owner, stage, amount, probability, close) in enumerate(DEALS, start=1):
            session.add(deal(name=f"商机 {number}", owner_id=users[owner], stage=stage,
                             amount=Decimal(amount), probability=probability,
                             close_date=dt.date.fromisoformat(close), division_id=hq))
    kernel.engine.dispose()


@pytest.fixture(scope="module")
def report_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not ECHARTS.exists():
        raise RuntimeError("ECharts is missing: run `make setup`")
    env = demo_env(tmp_path_factory.mktemp("e2e_reports"),
                   KEHU_ADDONS_PATH=json.dumps([str(ADDONS)]))
    for command in (["init", "--demo"], ["addons", "install", "rp_deal"],
                    ["addons", "enable", "rp_deal", "--division", "HQ"]):
        subprocess.run([KEHU, *command], env=env, check=True, cwd=ROOT, capture_output=True)
    _deals(env)
    with serving(env) as base:
        yield base


def _open(browser: Any, base: str, viewport: dict[str, int]) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=base)
    page = context.new_page()
    problems: list[str] = []
    # Script errors and CSP refusals; failed loads are checked by URL (no favicon exists).
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and "Failed to load resource" not in message.text
            else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    return context, page, problems


def _drawn_pixels(page: Any) -> int:
    """How many pixels of the chart's canvas are not blank."""
    return int(page.evaluate("""() => {
        const canvas = document.querySelector('[data-report-chart] canvas');
        const context = canvas.getContext('2d');
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) count++; }
        return count;
    }"""))


def test_forecast_cross_table_draws_a_line_chart(browser: Any, report_server: str) -> None:
    context, page, problems = _open(browser, report_server, {"width": 1280, "height": 800})
    sign_in(page, "zhang.wei")
    page.click("nav.mainnav a[href='/r']")
    shot(page, "reports-list")
    page.click("a[href='/r/rp_forecast']")
    page.wait_for_selector("[data-report-chart][data-drawn=true] canvas")
    assert _drawn_pixels(page) > 2000
    assert page.locator("table.reporttable tfoot").inner_text().count("¥") >= 3
    assert "李娜" in page.locator("table.reporttable thead").inner_text()
    shot(page, "report-forecast")
    page.select_option("select[name=rows]", "quarter")
    page.select_option("select[name=columns]", "")
    page.click(".reportsubmit button")
    page.wait_for_selector("[data-report-chart][data-drawn=true] canvas")
    assert "2026-Q1" in page.locator("table.reporttable tbody").inner_text()
    page.click("details.reportmore summary")
    page.fill("#v-owner-search", "李")
    page.click(".picker .choices li:has-text('李娜')")
    page.click(".reportsubmit button")
    page.wait_for_selector(".reportchips .chip")
    assert "李娜" in page.locator(".reportchips").inner_text()
    assert page.locator("table.reporttable tfoot").inner_text().count("¥150,000.50") == 1
    page.wait_for_selector("[data-report-chart][data-drawn=true] canvas")
    shot(page, "report-one-rep")
    assert problems == []
    context.close()


def test_pipeline_funnel_on_a_phone(browser: Any, report_server: str) -> None:
    context, page, problems = _open(browser, report_server, {"width": 390, "height": 844})
    sign_in(page, "zhang.wei")
    page.goto("/r/rp_pipeline")
    page.wait_for_selector("[data-report-chart][data-drawn=true] canvas")
    assert _drawn_pixels(page) > 2000
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    shot(page, "report-funnel-phone")
    page.goto("/r/rp_forecast")
    page.wait_for_selector("[data-report-chart][data-drawn=true] canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "report-forecast-phone")
    assert problems == []
    context.close()
