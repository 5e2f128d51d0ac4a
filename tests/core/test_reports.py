"""The report engine: figures computed by hand on six deals, on SQLite and PostgreSQL.

The sample addon `rp_deal` (tests/core/report_addons) is installed in both
divisions and enabled in EAST only. EAST has two reps (li.na, wang.qiang, who
see their own deals) and a manager (mgr, who sees the division's).

| deal | owner      | stage    | amount (¥)  | prob. | close      | signed           |
|------|------------|----------|-------------|-------|------------|------------------|
| 1    | li.na      | lead     |  50,000.00  |  20   | 2026-01-15 |                  |
| 2    | li.na      | proposal | 120,000.00  |  50   | 2026-02-10 |                  |
| 3    | li.na      | won      |  80,000.50  | 100   | 2026-02-28 | 2026-02-27 16:30 |
| 4    | wang.qiang | proposal | 200,000.00  |  60   | 2026-04-01 |                  |
| 5    | wang.qiang | lost     |  30,000.00  |   0   | 2026-03-31 |                  |
| 6    | wang.qiang | won      |  45,000.25  | 100   | 2026-05-20 | 2026-05-19 09:00 |
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core.addons import AddonError
from core.auth.passwords import hash_password
from core.context import Actor, acting_as, system_context
from core.errors import AccessDenied, ValidationError
from core.installer import enable, install
from core.kernel import Kernel, boot
from core.models import Division, Role, User
from core.org import actor_for, add_department
from core.reports import (
    Dimension,
    Measure,
    Report,
    chart_data,
    collect_reports,
    export_xlsx,
    format_value,
    run_report,
)
from core.settings import Settings, load_settings
from core.testing.web import sign_in
from tests.conftest import TEST_DIVISIONS

ADDONS = Path(__file__).parent / "report_addons"
PASSWORD = "报表-Password-1"
PEOPLE = {  # login: (division, roles)
    "li.na": ("EAST", ["sales_rep"]),
    "wang.qiang": ("EAST", ["sales_rep"]),
    "mgr": ("EAST", ["sales_manager"]),
    "hq.mgr": ("HQ", ["sales_manager"]),
}
DEALS = [  # name, owner, stage, amount, probability, close date, signed at
    ("南京华信机电 PLC 改造", "li.na", "lead", "50000.00", 20, "2026-01-15", None),
    ("杭州金桥商贸 仓储系统", "li.na", "proposal", "120000.00", 50, "2026-02-10", None),
    ("上海东方医药 冷链监控", "li.na", "won", "80000.50", 100, "2026-02-28", "2026-02-27T16:30"),
    ("苏州宏达电气 配电柜", "wang.qiang", "proposal", "200000.00", 60, "2026-04-01", None),
    ("无锡新区 产线升级", "wang.qiang", "lost", "30000.00", 0, "2026-03-31", None),
    ("宁波港 叉车调度", "wang.qiang", "won", "45000.25", 100, "2026-05-20", "2026-05-19T09:00"),
]


def report_settings(url: str, folder: Path) -> Settings:
    return load_settings(database_url=url, divisions=TEST_DIVISIONS, addons_path=[ADDONS],
                         secret_key_file=folder / "secret.key", log_dir=folder / "log", locale="en")


def _people(kernel: Kernel) -> dict[str, int]:
    with system_context(), kernel.sessions.begin() as session:
        divisions = {d.code: d.id for d in session.scalars(sa.select(Division))}
        roles = {r.code: r for r in session.scalars(sa.select(Role))}
        east = session.get(Division, divisions["EAST"])
        teams = {login: add_department(session, division=east, code=f"S{n}", name=name).id
                 for n, (login, name) in enumerate([("li.na", "华东一组"), ("wang.qiang", "华东二组")])}
        users = {}
        for login, (division, codes) in PEOPLE.items():
            user = User(login=login, name=login, division_id=divisions[division],
                        department_id=teams.get(login), password_hash=hash_password(PASSWORD))
            user.roles = [roles[code] for code in codes]
            session.add(user)
            session.flush()
            users[login] = user.id
        users["admin"] = session.scalar(sa.select(User.id).where(User.login == "admin"))
        deal = deal_model(kernel)
        for name, owner, stage, amount, probability, close, signed in DEALS:
            session.add(deal(name=name, owner_id=users[owner], stage=stage, amount=Decimal(amount),
                             probability=probability, close_date=dt.date.fromisoformat(close),
                             signed_at=dt.datetime.fromisoformat(signed) if signed else None,
                             division_id=divisions["EAST"]))
    return users


def deal_model(kernel: Kernel) -> Any:
    return next(m for m in kernel.models["rp_deal"] if m.__tablename__ == "rp_deal")


_BUILT: dict[str, tuple[str, dict[str, int]]] = {}


def _disconnect(url: str) -> None:
    """End the installer's leftover connections: a template database must have none."""
    engine = sa.create_engine(sa.make_url(url).set(database="postgres"))
    with engine.connect() as connection:
        connection.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": sa.make_url(url).database})
        connection.commit()
    engine.dispose()


def _build(backend: str, templates: Any, folder: Path) -> tuple[str, dict[str, int]]:
    gc.collect()
    url = templates.copy(backend, folder)
    settings = report_settings(url, folder)
    install(settings, ["rp_deal"])
    kernel = boot(settings)
    enable(kernel, "rp_deal", "EAST")
    users = _people(kernel)
    kernel.engine.dispose()
    if backend != "sqlite":
        _disconnect(url)
    return url, users


@dataclass
class Sales:
    """A kernel on a fresh copy of the deals database."""

    kernel: Kernel
    users: dict[str, int]
    backend: str

    def actor(self, login: str) -> Actor:
        with system_context(), self.kernel.session() as session:
            return actor_for(session, session.get(User, self.users[login]))

    def run(self, login: str, key: str, **options: Any) -> Any:
        with acting_as(self.actor(login)), self.kernel.session() as session:
            return run_report(session, self.kernel.reports[key].report, **options)


@pytest.fixture()
def sales(backend: str, templates: Any, tmp_path_factory: pytest.TempPathFactory,
          request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Sales]:
    if backend not in _BUILT:
        _BUILT[backend] = _build(backend, templates, tmp_path_factory.mktemp(f"rp_{backend}"))
    url, users = _BUILT[backend]
    if backend == "sqlite":
        source, target = sqlite3.connect(url.removeprefix("sqlite:///")), tmp_path / "rp.db"
        destination = sqlite3.connect(target)
        source.backup(destination)
        source.close()
        destination.close()
        url = f"sqlite:///{target}"
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database(f"r_{uuid.uuid4().hex[:12]}",
                                     template=sa.make_url(url).database)
    kernel = boot(report_settings(url, tmp_path))
    yield Sales(kernel, users, backend)
    kernel.engine.dispose()


def figures(result: Any, measure: str) -> dict[str, Any]:
    """Row label → the measure's value."""
    return {row.label: result.row(row.value)[measure] for row in result.rows}


# ------------------------------------------------------------------ figures


def test_pipeline_by_stage_in_stage_order_with_database_totals(sales: Sales) -> None:
    result = sales.run("mgr", "rp_pipeline")
    assert [row.label for row in result.rows] == ["Lead", "Proposal", "Won", "Lost"]
    assert figures(result, "count") == {"Lead": 1, "Proposal": 2, "Won": 2, "Lost": 1}
    assert figures(result, "amount") == {
        "Lead": Decimal("50000.00"), "Proposal": Decimal("320000.00"),
        "Won": Decimal("125000.75"), "Lost": Decimal("30000.00")}
    assert figures(result, "probability")["Proposal"] == Decimal("55.0")
    # The total average is over the six deals, not the average of the four stages.
    assert result.totals == {"count": 6, "amount": Decimal("525000.75"),
                             "probability": Decimal("55.0")}


def test_each_rep_counts_only_their_own_deals(sales: Sales) -> None:
    mine = sales.run("li.na", "rp_pipeline")
    theirs = sales.run("wang.qiang", "rp_pipeline")
    assert mine.totals == {"count": 3, "amount": Decimal("250000.50"),
                           "probability": Decimal("56.7")}
    assert figures(mine, "count") == {"Lead": 1, "Proposal": 1, "Won": 1}
    assert theirs.totals == {"count": 3, "amount": Decimal("275000.25"),
                             "probability": Decimal("53.3")}
    assert figures(theirs, "count") == {"Proposal": 1, "Won": 1, "Lost": 1}


def test_weighted_forecast_by_month_and_rep_cross_table(sales: Sales) -> None:
    result = sales.run("mgr", "rp_forecast")
    assert [row.label for row in result.rows] == ["2026-01", "2026-02", "2026-04", "2026-05"]
    assert [column.label for column in result.columns] == ["li.na", "wang.qiang"]
    li, wang = (column.value for column in result.columns)
    assert result.cell("2026-02", li) == {"weighted": Decimal("140000.50"), "count": 2}
    assert result.cell("2026-02", wang) == {"weighted": Decimal("0.00"), "count": 0}
    assert result.cell("2026-04", wang)["weighted"] == Decimal("120000.00")
    assert result.row("2026-05") == {"weighted": Decimal("45000.25"), "count": 1}
    assert result.column_totals[li] == {"weighted": Decimal("150000.50"), "count": 3}
    assert result.column_totals[wang] == {"weighted": Decimal("165000.25"), "count": 2}
    # The lost deal is outside the report's fixed condition.
    assert result.totals == {"weighted": Decimal("315000.75"), "count": 5}


def test_quarter_year_and_datetime_month_buckets(sales: Sales) -> None:
    by_quarter = sales.run("mgr", "rp_forecast", rows="quarter", columns="")
    assert figures(by_quarter, "weighted") == {"2026-Q1": Decimal("150000.50"),
                                               "2026-Q2": Decimal("165000.25")}
    by_year = sales.run("mgr", "rp_pipeline", rows="year")
    assert figures(by_year, "count") == {"2026": 6}
    signed = sales.run("mgr", "rp_pipeline", rows="signed_month")
    assert figures(signed, "count") == {"2026-02": 1, "2026-05": 1, "Not set": 4}


def test_owner_rows_show_names_and_stage_columns_show_labels(sales: Sales) -> None:
    result = sales.run("mgr", "rp_pipeline", rows="owner", columns="stage")
    assert [row.label for row in result.rows] == ["li.na", "wang.qiang"]
    assert [column.label for column in result.columns] == ["Lead", "Proposal", "Won", "Lost"]
    li = result.rows[0].value
    assert result.cell(li, "won")["amount"] == Decimal("80000.50")
    assert result.column_totals["proposal"]["amount"] == Decimal("320000.00")


def test_period_includes_both_ends_and_filters_combine(sales: Sales) -> None:
    february = sales.run("mgr", "rp_pipeline",
                         period=(dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
    assert figures(february, "count") == {"Proposal": 1, "Won": 1}
    signed = sales.run("mgr", "rp_pipeline", rows="signed_month",
                       period=(dt.date(2026, 5, 20), dt.date(2026, 5, 20)))
    assert signed.totals["count"] == 1
    open_big = sales.run("mgr", "rp_pipeline", filters=["open", "big"])
    assert figures(open_big, "amount") == {"Proposal": Decimal("320000.00")}
    assert sales.run("mgr", "rp_pipeline", filters=["open"]).totals["count"] == 3


def test_bad_selection_names_the_field(sales: Sales) -> None:
    with pytest.raises(ValidationError) as error:
        sales.run("mgr", "rp_pipeline", rows="region", columns="stage", filters=["vip"],
                  period=(dt.date(2026, 3, 1), dt.date(2026, 2, 1)))
    assert set(error.value.fields) == {"rows", "f", "to"}


def test_report_of_a_model_the_user_may_not_read_is_refused(sales: Sales) -> None:
    with pytest.raises(AccessDenied):
        sales.run("hq.mgr", "rp_pipeline")


def test_one_aggregate_statement_and_one_name_query_per_reference(sales: Sales) -> None:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    reports = sales.kernel.reports
    with acting_as(sales.actor("mgr")), sales.kernel.session() as session:
        sa.event.listen(sales.kernel.engine, "before_cursor_execute", count)
        try:
            run_report(session, reports["rp_forecast"].report)  # months × owners
            cross = list(statements)
            statements.clear()
            run_report(session, reports["rp_pipeline"].report)  # stages: no name query
        finally:
            sa.event.remove(sales.kernel.engine, "before_cursor_execute", count)
    assert len(cross) == 2, cross
    # Sums and counts only: one GROUP BY, the totals added up from its groups.
    assert "GROUP BY" in cross[0] and "UNION ALL" not in cross[0] and "kehu_user" in cross[1]
    # An average: its totals come from the database, as further groupings.
    assert len(statements) == 1 and "UNION ALL" in statements[0], statements


def test_formatting_and_chart_data(sales: Sales) -> None:
    result = sales.run("mgr", "rp_forecast")
    weighted = result.report.measure("weighted")
    assert format_value(weighted, result.totals["weighted"]) == "¥315,000.75"
    assert format_value(result.report.measure("count"), 1234) == "1,234"
    chart = chart_data(result)
    assert chart is not None and chart["kind"] == "line" and chart["money"]
    assert chart["categories"] == ["2026-01", "2026-02", "2026-04", "2026-05"]
    assert [s["name"] for s in chart["series"]] == ["li.na", "wang.qiang"]
    assert chart["series"][0]["data"] == [10000.0, 140000.5, 0.0, 0.0]
    funnel = chart_data(sales.run("mgr", "rp_pipeline"))
    assert funnel is not None and funnel["series"][0]["data"] == [1, 2, 2, 1]


def test_as_dict_is_json_ready(sales: Sales) -> None:
    data = sales.run("mgr", "rp_forecast").as_dict()
    assert data["rows_dimension"] == {"key": "month", "label": "Month"}
    assert data["totals"] == {"weighted": "315000.75", "count": 5}
    february = data["rows"][1]
    assert february["key"] == "2026-02" and february["values"]["weighted"] == "140000.50"
    assert february["cells"] == [{"weighted": "140000.50", "count": 2},
                                 {"weighted": "0.00", "count": 0}]
    assert [c["label"] for c in data["columns"]] == ["li.na", "wang.qiang"]


def test_export_xlsx_opens_with_figures_and_neutralised_labels(sales: Sales) -> None:
    with system_context(), sales.kernel.sessions.begin() as session:
        session.get(User, sales.users["li.na"]).name = "=HYPERLINK(\"http://x\")"
    body = export_xlsx(sales.run("mgr", "rp_forecast"))
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Month"
    assert rows[0][1] == "'=HYPERLINK(\"http://x\")"  # a name that looks like a formula
    assert rows[1][:3] == [None, "Weighted amount", "Deals"]
    assert rows[3][:5] == ["2026-02", 140000.5, 2, 0, 0]  # li.na, then wang.qiang
    assert rows[3][5:] == [140000.5, 2]  # the row's total
    assert rows[-1][0] == "Total" and rows[-1][-2:] == [315000.75, 5]


def test_dates_expressions_and_decimals_in_a_report_built_on_the_fly(sales: Sales) -> None:
    deal = deal_model(sales.kernel)
    size = sa.case((deal.amount >= Decimal("100000"), "大单"), else_="小单")
    report = Report(
        key="rp_sizes", label="Sizes", model=deal,  # type: ignore[arg-type]
        dimensions=[Dimension("size", "Size", size),  # type: ignore[arg-type]
                    Dimension("close", "Close date", deal.close_date)],  # type: ignore[arg-type]
        measures=[Measure("avg", "Average probability", sa.func.avg(deal.probability),  # type: ignore[arg-type]
                          kind="decimal")],
        default_rows="size", default_columns="close", chart=None)
    with acting_as(sales.actor("mgr")), sales.kernel.session() as session:
        result = run_report(session, report)
    assert figures(result, "avg") == {"大单": Decimal("55.00"), "小单": Decimal("55.00")}
    assert result.columns[0].label == "Jan 15, 2026" and result.columns[-1].value == dt.date(2026, 5, 20)
    assert result.cell("小单", dt.date(2026, 5, 20)) == {"avg": Decimal("100.00")}
    assert result.cell("大单", dt.date(2026, 5, 20)) == {"avg": None}
    assert chart_data(result) is None


def test_a_joined_table_groups_deals_by_their_owners_department(sales: Sales) -> None:
    deal = deal_model(sales.kernel)
    report = Report(
        key="rp_teams", label="Teams", model=deal,  # type: ignore[arg-type]
        dimensions=[Dimension("team", "Team", User.department_id)],  # type: ignore[arg-type]
        measures=[Measure("amount", "Amount", sa.func.sum(deal.amount), kind="money")],  # type: ignore[arg-type]
        default_rows="team", joins=[(User, User.id == deal.owner_id)])
    with acting_as(sales.actor("mgr")), sales.kernel.session() as session:
        result = run_report(session, report)
    assert figures(result, "amount") == {"华东一组": Decimal("250000.50"),
                                         "华东二组": Decimal("275000.25")}
    assert result.totals["amount"] == Decimal("525000.75")  # no deal counted twice
    with pytest.raises(AddonError, match="neither a relationship"):
        collect_reports([("rp_deal", dataclasses.replace(report, joins=["kehu_user"]))], {deal})


# ------------------------------------------------------------------ declarations


def test_malformed_declarations_stop_start_up_naming_addon_and_report(sales: Sales) -> None:
    deal = deal_model(sales.kernel)
    count = Measure("count", "Deals", sa.func.count(), kind="count")  # type: ignore[arg-type]
    stage = Dimension("stage", "Stage", deal.stage)  # type: ignore[arg-type]
    bad = Report(key="rp_bad", label="Bad", model=deal, dimensions=[stage],  # type: ignore[arg-type]
                 measures=[count, Measure("x", "X", sa.func.count(), kind="ratio")],  # type: ignore[arg-type]
                 default_rows="month", chart="pie")
    with pytest.raises(AddonError) as error:
        collect_reports([("rp_deal", bad)], {deal})
    text = str(error.value)
    assert "rp_deal" in text and "rp_bad" in text
    assert "default_rows 'month'" in text and "'ratio'" in text and "'pie'" in text
    good = Report(key="rp_ok", label="Ok", model=deal, dimensions=[stage],  # type: ignore[arg-type]
                  measures=[count], default_rows="stage")
    with pytest.raises(AddonError, match="also used by addon 'one'"):
        collect_reports([("one", good), ("two", good)], {deal})
    with pytest.raises(AddonError, match="not registered"):
        collect_reports([("one", good)], set())
    clash = dataclasses.replace(good, dimensions=[Dimension("from", "From", deal.stage)],  # type: ignore[arg-type]
                                default_rows="from")
    with pytest.raises(AddonError, match="dimension keys from are query parameters"):
        collect_reports([("one", clash)], {deal})


# ------------------------------------------------------------------ pages and API


def client_for(sales: Sales, login: str) -> TestClient:
    from core.web.app import create_app

    return sign_in(TestClient(create_app(kernel=sales.kernel)), login, PASSWORD)


def test_reports_page_lists_what_each_user_may_open(sales: Sales) -> None:
    manager = client_for(sales, "mgr").get("/r")
    assert manager.status_code == 200
    assert "/r/rp_pipeline" in manager.text and "/r/rp_forecast" in manager.text
    assert '<a href="/r" aria-current="page">Reports</a>' in manager.text  # main menu
    rep = client_for(sales, "li.na").get("/r")
    assert "/r/rp_pipeline" in rep.text and "/r/rp_forecast" not in rep.text
    elsewhere = client_for(sales, "hq.mgr").get("/r")  # rp_deal is off in HQ
    assert "/r/rp_pipeline" not in elsewhere.text and "/r/rp_forecast" not in elsewhere.text


def test_report_page_shows_table_totals_and_chart_data(sales: Sales) -> None:
    page = client_for(sales, "mgr").get("/r/rp_pipeline")
    assert page.status_code == 200
    assert "¥525,000.75" in page.text and "¥320,000.00" in page.text
    assert '<script type="application/json" id="report-chart-data">' in page.text
    assert "/static/reports.js" in page.text and "/static/vendor/echarts.min.js" in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    cross = client_for(sales, "mgr").get("/r/rp_forecast?rows=quarter&columns=owner")
    assert "2026-Q1" in cross.text and "¥165,000.25" in cross.text and "wang.qiang" in cross.text


def test_report_page_in_chinese_uses_translated_labels(sales: Sales) -> None:
    client = client_for(sales, "mgr")
    client.get("/lang/zh_CN")
    page = client.get("/r/rp_pipeline")
    assert "合计" in page.text and "导出" in page.text


def test_bad_parameters_show_the_form_with_the_field_marked(sales: Sales) -> None:
    page = client_for(sales, "mgr").get("/r/rp_pipeline?from=2026-13-01")
    assert page.status_code == 400
    assert "Enter a date as YYYY-MM-DD." in page.text


def test_disabled_addon_report_is_not_found_and_roles_are_checked(sales: Sales) -> None:
    assert client_for(sales, "hq.mgr").get("/r/rp_pipeline").status_code == 404
    assert client_for(sales, "hq.mgr").get("/r/rp_pipeline.xlsx").status_code == 404
    assert client_for(sales, "mgr").get("/r/no_such_report").status_code == 404
    assert client_for(sales, "li.na").get("/r/rp_forecast").status_code == 403


def test_export_follows_the_page_parameters_and_is_rate_limited(sales: Sales) -> None:
    from core.api.ratelimit import RateLimiter

    client = client_for(sales, "li.na")
    client.app.state.rate_limiters = {"export": RateLimiter(capacity=1, per_second=0.01)}  # type: ignore[attr-defined]
    response = client.get("/r/rp_pipeline.xlsx?rows=month&f=open")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="rp_pipeline.xlsx"'
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert rows[0] == ["Month", "Deals", "Amount", "Average probability (%)"]
    assert [r[0] for r in rows[1:]] == ["2026-01", "2026-02", "Total"]
    assert rows[-1][1:3] == [2, 170000]  # li.na's open deals only
    again = client.get("/r/rp_pipeline.xlsx")
    assert again.status_code == 429 and int(again.headers["retry-after"]) > 0


def test_api_answers_figures_and_json_errors(sales: Sales) -> None:
    client = client_for(sales, "mgr")
    body = client.get("/api/v1/reports/rp_forecast?rows=quarter&columns=").json()
    assert body["columns_dimension"] is None
    assert [(r["key"], r["values"]["weighted"]) for r in body["rows"]] == [
        ("2026-Q1", "150000.50"), ("2026-Q2", "165000.25")]
    assert body["totals"] == {"weighted": "315000.75", "count": 5}
    period = client.get("/api/v1/reports/rp_pipeline?from=2026-02-01&to=2026-02-28&f=open").json()
    assert period["totals"]["count"] == 1 and period["from"] == "2026-02-01"
    bad = client.get("/api/v1/reports/rp_pipeline?rows=nothing")
    assert bad.status_code == 400 and "rows" in bad.json()["error"]["fields"]
    for query in ("owner=" + "9" * 30, "month=%00", "from=2026-02-30"):
        answer = client.get(f"/api/v1/reports/rp_pipeline?{query}")
        assert answer.status_code == 400, query
        assert set(answer.json()["error"]["fields"]) == {query.split("=")[0]}
    missing = client_for(sales, "hq.mgr").get("/api/v1/reports/rp_pipeline")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    refused = client_for(sales, "li.na").get("/api/v1/reports/rp_forecast")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_api_report_rate_limit_and_openapi_document(sales: Sales) -> None:
    from core.api.ratelimit import RateLimiter

    client = client_for(sales, "li.na")
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/reports/rp_pipeline" in document["paths"]
    assert "/api/v1/reports/rp_forecast" not in document["paths"]  # not li.na's to open
    client.app.state.rate_limiters = {"report": RateLimiter(capacity=1, per_second=0.01)}  # type: ignore[attr-defined]
    assert client.get("/api/v1/reports/rp_pipeline").json()["totals"]["count"] == 3
    limited = client.get("/api/v1/reports/rp_pipeline")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert "retry-after" in limited.headers


def test_a_report_restricted_to_one_value_of_a_dimension(sales: Sales) -> None:
    wang = sales.users["wang.qiang"]
    result = sales.run("mgr", "rp_forecast", rows="month", columns="", values={"owner": wang})
    assert figures(result, "weighted") == {"2026-04": Decimal("120000.00"),
                                           "2026-05": Decimal("45000.25")}
    by_month = sales.run("mgr", "rp_pipeline", values={"month": "2026-02", "stage": "won"})
    assert by_month.totals["count"] == 1
    client = client_for(sales, "mgr")
    page = client.get(f"/r/rp_forecast?rows=quarter&columns=&owner={wang}")
    assert "¥165,000.25" in page.text and "¥150,000.50" not in page.text
    assert 'Owner: wang.qiang <a href="/r/rp_forecast?rows=quarter&amp;columns="' in page.text
    assert 'data-lookup="/m/kehu_user/lookup"' in page.text
    bad = client.get("/r/rp_forecast?owner=somebody")
    assert bad.status_code == 400 and "This value is not valid." in bad.text
    body = client.get(f"/api/v1/reports/rp_pipeline?owner={wang}&stage=won").json()
    assert body["totals"]["count"] == 1 and body["values"] == {"owner": wang, "stage": "won"}
