"""Every report has a division filter and dimension, declared once in the engine (#14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from addons.crm_funnel import reports as funnel_reports
from addons.crm_funnel.models import Opportunity
from core.context import acting_as, system_context
from core.models import Department
from core.org import add_department
from core.reports import run_report
from core.reports.presentation import chart_data
from tests.addons.crm_funnel.funnel_fixtures import Funnel, funnel  # noqa: F401  (fixture)

CLOSE = dt.date(2026, 12, 15)


def _deals(funnel: Funnel) -> None:
    funnel.deal("li.na", customer="nanjing", name="南京一号", amount="1000", stage="商务谈判",
                close=CLOSE)
    funnel.deal("wang.qiang", customer="hangzhou", name="杭州一号", amount="2500.50",
                stage="项目信息", close=CLOSE)
    funnel.deal("li.na", customer="nanjing", name="南京项目", amount="4000", stage="可研立项",
                close=CLOSE, mode="project_sale")


def test_every_report_accepts_the_division_filter_and_dimension(funnel: Funnel) -> None:
    _deals(funnel)
    east, hq = funnel.org.divisions["EAST"], funnel.org.divisions["HQ"]
    assert funnel.kernel.reports
    with acting_as(funnel.org.actor(funnel.kernel, "gm.hq")), funnel.kernel.sessions() as session:
        for registered in funnel.kernel.reports.values():
            report = registered.report
            if not hasattr(report.model, "division_id"):
                continue
            assert report.dimension("division") is not None, report.key
            whole = run_report(session, report, rows=report.default_rows, columns="")
            by_division = run_report(session, report, rows="division", columns="")
            for measure in report.measures:
                if measure.kind in ("count", "money", "int") and measure.additive is not False:
                    parts = sum((by_division.row(row.value)[measure.key] for row in by_division.rows),
                                start=type(whole.totals[measure.key])(0))
                    assert parts == whole.totals[measure.key], (report.key, measure.key)
            only_hq = run_report(session, report, rows=report.default_rows, columns="",
                                 values={"division": hq})
            only_east = run_report(session, report, rows=report.default_rows, columns="",
                                   values={"division": east})
            assert {r.label for r in by_division.rows} <= {"总部", "华东事业部", "Not set"}, report.key
            assert only_hq.totals is not None and only_east.totals is not None


def test_the_funnel_by_division_equals_a_hand_written_group_by(funnel: Funnel) -> None:
    _deals(funnel)
    with system_context(), funnel.kernel.sessions() as session:
        expected = {division: (count, Decimal(amount) / 100) for division, count, amount in
                    session.execute(sa.text(
                        "SELECT division_id, count(*), sum(amount) FROM crm_opportunity "
                        "WHERE state = 'open' GROUP BY division_id")).all()}
    with acting_as(funnel.org.actor(funnel.kernel, "gm.hq")), funnel.kernel.sessions() as session:
        result = run_report(session, funnel_reports.funnel, rows="division", columns="")
        got = {row.value: (result.row(row.value)["count"], result.row(row.value)["amount"])
               for row in result.rows}
    assert got == expected and sum(c for c, _a in got.values()) == 3


def test_the_funnel_is_drawn_once_per_sales_mode(funnel: Funnel) -> None:
    _deals(funnel)
    with acting_as(funnel.org.actor(funnel.kernel, "gm.hq")), funnel.kernel.sessions() as session:
        result = run_report(session, funnel_reports.funnel)
        chart = chart_data(result)
    assert result.columns_dimension is not None and result.columns_dimension.key == "sales_mode"
    assert chart is not None and chart["kind"] == "funnel"
    assert sorted(series["name"] for series in chart["series"]) == ["SI 供货", "项目销售"]
    for series in chart["series"]:
        drawn = [name for name, value in zip(chart["categories"], series["data"], strict=True) if value]
        assert drawn and all(name.startswith(series["name"]) for name in drawn)


def test_labels_of_one_divisions_departments_carry_its_name_for_hq(funnel: Funnel) -> None:
    with system_context(), funnel.kernel.sessions.begin() as session:
        from core.models import Division

        hq = session.get(Division, funnel.org.divisions["HQ"])
        twin = add_department(session, division=hq, code="S", name="销售部")
        session.flush()
        twin_id = twin.id
        east_sales = session.scalar(sa.select(Department.id).where(
            Department.division_id == funnel.org.divisions["EAST"], Department.code == "S"))
    funnel.deal("li.na", customer="nanjing", name="南京一号", amount="1000", stage="商务谈判",
                close=CLOSE)
    with system_context(), funnel.kernel.sessions.begin() as session:
        session.execute(sa.update(Opportunity).values(department_id=east_sales))
    with acting_as(funnel.org.actor(funnel.kernel, "gm.hq")), funnel.kernel.sessions() as session:
        result = run_report(session, funnel_reports.forecast, rows="department", columns="")
        labels = {row.label for row in result.rows}
    assert labels == {"销售部 · 华东事业部"} and twin_id
    with acting_as(funnel.org.actor(funnel.kernel, "li.na")), funnel.kernel.sessions() as session:
        result = run_report(session, funnel_reports.forecast, rows="department", columns="")
    assert {row.label for row in result.rows} == {"销售部"}
