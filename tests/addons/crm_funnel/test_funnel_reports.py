"""The funnel's reports against figures worked out by hand (#7), under record rules."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import Contact, Customer, Industry
from addons.crm_funnel import closing, forecast, reports
from addons.crm_funnel.models import ForecastSnapshot, LostReason, Opportunity, SalesTarget, Visit
from core.lookups import usable_in
from core.models import Department, Division
from core.reports import export_xlsx, run_report
from core.testing.web import sign_in
from tests.addons.crm_funnel.funnel_fixtures import Funnel, app, funnel  # noqa: F401  (fixtures)
from tests.core.org_fixtures import PASSWORD

DEC, JAN = dt.date(2026, 12, 10), dt.date(2027, 1, 15)


def _deals(funnel: Funnel) -> dict[str, int]:
    """li.na (江苏): three open deals; wang.qiang (浙江): one open, one lost.

    Weighted by hand: A 1,000,000 × 10% = 100,000; B 250,000.50 × 80% = 200,000.40;
    C 300,000 × 60% = 180,000 (January); D 500,000 × 40% = 200,000.
    """
    deals = {
        "A": funnel.deal("li.na", customer="nanjing", name="南京地铁5号线信号系统",
                         amount="1000000", stage="项目信息", close=DEC),
        "B": funnel.deal("li.na", customer="nanjing", name="南京南站安防升级",
                         amount="250000.50", stage="商务谈判", close=dt.date(2026, 12, 20)),
        "C": funnel.deal("li.na", customer="nanjing", name="南京江北新区管廊", amount="300000",
                         stage="招标评标", mode="project_sale", close=JAN),
        "D": funnel.deal("wang.qiang", customer="hangzhou", name="杭州东站安检系统",
                         amount="500000", stage="方案提供", close=dt.date(2026, 12, 5)),
        "E": funnel.deal("wang.qiang", customer="hangzhou", name="杭州萧山机场行李系统",
                         amount="800000", stage="确定方案", close=DEC),
    }
    with funnel.as_user("wang.qiang") as session:
        price = session.scalar(sa.select(LostReason.id).where(
            LostReason.code == "price", usable_in(LostReason, funnel.org.divisions["EAST"])))
        record = session.get(Opportunity, deals["E"])
        closing.close_lost(session, record, funnel.org.actor(funnel.kernel, "wang.qiang"),
                           {"reason": price})
    return deals


def test_the_weighted_forecast_matches_the_hand_computed_figures(funnel: Funnel) -> None:
    _deals(funnel)
    with funnel.system() as session:
        rail = Industry(division_id=funnel.org.divisions["EAST"], code="RAIL", name="轨道交通")
        session.add(rail)
        session.flush()
        session.get(Customer, funnel.org.customers["nanjing"]).industry_id = rail.id
    with funnel.as_user("mgr") as session:
        result = run_report(session, reports.forecast, rows="month", columns="")
        by_month = {h.label: result.row(h.value)["weighted"] for h in result.rows}
        assert by_month == {"2026-12": Decimal("500000.40"), "2027-01": Decimal("180000.00")}
        assert result.totals["weighted"] == Decimal("680000.40")
        assert result.totals["amount"] == Decimal("2050000.50")
        assert result.totals["count"] == 4
        by_rep = run_report(session, reports.forecast, rows="owner", columns="quarter")
        li = funnel.org.users["li.na"]
        assert by_rep.cell(li, "2026-Q4")["weighted"] == Decimal("300000.40")
        assert by_rep.cell(li, "2027-Q1")["weighted"] == Decimal("180000.00")
        # Periods filter on the expected close date (both ends included).
        by_industry = run_report(session, reports.forecast, rows="industry", columns="")
        assert {h.label: by_industry.row(h.value)["weighted"] for h in by_industry.rows} == {
            "轨道交通": Decimal("480000.40"), "Not set": Decimal("200000.00")}
        december = run_report(session, reports.forecast, rows="month", columns="",
                              period=(dt.date(2026, 12, 1), dt.date(2026, 12, 31)))
        assert december.totals["weighted"] == Decimal("500000.40")


def test_a_reps_reports_exclude_other_regions(funnel: Funnel) -> None:
    _deals(funnel)
    with funnel.as_user("li.na") as session:
        result = run_report(session, reports.forecast, rows="owner", columns="")
        assert [h.value for h in result.rows] == [funnel.org.users["li.na"]]
        assert result.totals["weighted"] == Decimal("480000.40")
        lost = run_report(session, reports.win_loss, rows="reason")
        assert lost.totals["count"] == 0
    # Headquarters sees across divisions: the general manager at HQ counts EAST's deals.
    with funnel.as_user("gm.hq") as session:
        result = run_report(session, reports.forecast, rows="owner", columns="")
        assert result.totals["weighted"] == Decimal("680000.40")


def test_the_funnel_keeps_the_stage_order_and_exports(funnel: Funnel) -> None:
    _deals(funnel)
    with funnel.as_user("gm.east") as session:
        result = run_report(session, reports.funnel, rows="stage")
        assert [h.label for h in result.rows] == [
            "SI 供货 · 01 项目信息", "SI 供货 · 03 方案提供", "SI 供货 · 05 商务谈判",
            "项目销售 · 04 招标评标"]
        assert [result.row(h.value)["amount"] for h in result.rows] == [
            Decimal("1000000.00"), Decimal("500000.00"), Decimal("250000.50"),
            Decimal("300000.00")]
        sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(result))).active
        cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
        assert any("SI 供货 · 01 项目信息" in row for row in cells)
        losses = run_report(session, reports.win_loss, rows="reason")
        assert [(h.label, losses.row(h.value)["lost"]) for h in losses.rows] == [("价格", 1)]
        assert losses.totals["lost_amount"] == Decimal("800000.00")


def test_stage_conversion_counts_the_deals_that_went_further(funnel: Funnel) -> None:
    deals = _deals(funnel)
    with funnel.as_user("li.na") as session:
        session.get(Opportunity, deals["A"]).stage_id = funnel.stage("si_supply", "方案提供")
    with funnel.as_user("mgr") as session:
        result = run_report(session, reports.conversion, rows="stage")
        rows = {h.label: result.row(h.value) for h in result.rows}
    # 项目信息: A entered and went on; 方案提供: A and D entered, neither went on yet.
    assert (rows["SI 供货 · 01 项目信息"]["entered"], rows["SI 供货 · 01 项目信息"]["advanced"],
            rows["SI 供货 · 01 项目信息"]["rate"]) == (1, 1, Decimal("100.0"))
    assert (rows["SI 供货 · 03 方案提供"]["entered"], rows["SI 供货 · 03 方案提供"]["rate"]) == (
        2, Decimal("0.0"))


def test_rep_activity_counts_meetings_with_decision_makers(funnel: Funnel) -> None:
    with funnel.system() as session:
        boss = Contact(division_id=funnel.org.divisions["EAST"],
                       customer_id=funnel.org.customers["nanjing"], name="陈总",
                       decision_role="decision_maker")
        engineer = Contact(division_id=funnel.org.divisions["EAST"],
                           customer_id=funnel.org.customers["nanjing"], name="刘工",
                           decision_role="user")
        session.add_all([boss, engineer])
        session.flush()
        people = (boss.id, engineer.id)
    with funnel.as_user("li.na") as session:
        for kind, contact in (("visit", people[0]), ("meeting", people[0]), ("visit", people[1]),
                              ("call", people[1])):
            session.add(Visit(kind=kind, customer_id=funnel.org.customers["nanjing"],
                              contact_id=contact, summary="技术交流", visited_on=DEC))
    with funnel.as_user("mgr") as session:
        result = run_report(session, reports.process, rows="owner", columns="")
        figures = result.row(funnel.org.users["li.na"])
    assert (figures["visits"], figures["decision_makers"], figures["calls"], figures["all"]) == (
        2, 2, 1, 4)


def test_targets_split_down_and_compare_with_won_contracts(funnel: Funnel) -> None:
    deals = _deals(funnel)
    with funnel.system() as session:
        sales = session.scalar(sa.select(Department.id).where(Department.code == "S"))
        team = session.scalar(sa.select(Department.id).where(Department.code == "S1"))
    with funnel.as_user("mgr") as session:
        target = SalesTarget(department_id=sales, amount=Decimal("1000000.01"),
                             period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 12, 31))
        session.add(target)
        session.flush()
        forecast.split(session, target, funnel.org.actor(funnel.kernel, "mgr"), {})
        parts = session.scalars(sa.select(SalesTarget).where(SalesTarget.parent_id == target.id)
                                .order_by(SalesTarget.id)).all()
        assert [p.amount for p in parts] == [Decimal("500000.01"), Decimal("500000.00")]
        team_target = next(p for p in parts if p.department_id == team)
        forecast.split(session, team_target, funnel.org.actor(funnel.kernel, "mgr"), {})
        reps = session.scalars(sa.select(SalesTarget.user_id).where(
            SalesTarget.parent_id == team_target.id)).all()
        assert set(reps) == {funnel.org.users["li.na"], funnel.org.users["wang.qiang"]}
    with funnel.as_user("li.na") as session:
        record = session.get(Opportunity, deals["B"])
        closing.close_won(session, record, funnel.org.actor(funnel.kernel, "li.na"),
                          {"signed_on": dt.date(2026, 11, 30)})
    # crm_expense's accruals read the same won amounts through the hook.
    with funnel.system() as session:
        hooks = funnel.kernel.registry.hooks_for(funnel.org.divisions["EAST"])
        won = [row for rows in hooks.kehu_extra_won_amounts(
            session=session, division_id=funnel.org.divisions["EAST"],
            date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30)) for row in rows]
    assert won == [(funnel.org.users["li.na"], funnel.org.customers["nanjing"],
                    Decimal("250000.50"))]
    with funnel.as_user("mgr") as session:
        result = run_report(session, reports.targets, rows="user", columns="", filters=["reps"])
        li = result.row(funnel.org.users["li.na"])
    assert (li["target"], li["won"]) == (Decimal("250000.01"), Decimal("250000.50"))
    assert li["achievement"] == Decimal("100.0")


def test_forecast_snapshots_and_their_accuracy(funnel: Funnel) -> None:
    deals = _deals(funnel)
    with funnel.system() as session:
        east = session.get(Division, funnel.org.divisions["EAST"])
        assert forecast.take_snapshot(session, east, today=dt.date(2026, 11, 23)) == 3
        # Within a week of the last snapshot nothing is taken again.
        assert forecast.take_snapshot(session, east, today=dt.date(2026, 11, 26)) == 0
        kept = {(s.owner_id, s.month): s.weighted for s in session.scalars(
            sa.select(ForecastSnapshot))}
    li = funnel.org.users["li.na"]
    assert kept[(li, dt.date(2026, 12, 1))] == Decimal("300000.40")
    with funnel.as_user("li.na") as session:
        closing.close_won(session, session.get(Opportunity, deals["B"]),
                          funnel.org.actor(funnel.kernel, "li.na"),
                          {"signed_on": dt.date(2026, 12, 18)})
    with funnel.as_user("mgr") as session:
        result = run_report(session, reports.accuracy, rows="owner", columns="month")
        cell = result.cell(li, "2026-12")
    assert (cell["forecast"], cell["won"]) == (Decimal("300000.40"), Decimal("250000.50"))
    assert cell["accuracy"] == Decimal("83.3")


def test_the_report_pages_answer_with_their_chart(funnel: Funnel, app) -> None:
    _deals(funnel)
    client = sign_in(TestClient(app, headers={"Accept-Language": "en"}), "mgr", PASSWORD)
    page = client.get("/r/funnel_stages")
    assert page.status_code == 200 and "项目信息" in page.text and "funnel" in page.text
    export = client.get("/r/weighted_forecast.xlsx")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    rep = sign_in(TestClient(app, headers={"Accept-Language": "en"}), "li.na", PASSWORD)
    assert "杭州" not in rep.get("/r/weighted_forecast?rows=region").text
