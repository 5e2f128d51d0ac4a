"""Figure 4: the funnel (by stage) and the weighted forecast (month × rep) over every
opportunity, as a sales rep and as the general manager.

Kehu: the report page GET /r/<key>?rows=…&columns=… of the report crm_funnel
declares (core.reports: one UNION ALL statement for cells and totals, under
the user's record rules, names of references, the chart), over HTTP from a
signed-in browser session.
Raw: one GROUP BY on a DB-API connection with the report's own measure and
dimension expressions (compiled to text once), its fixed condition, and the
user's visibility written out by hand (bench.fig_lists.visibility_sql). Before
timing, the grand total of the first measure is compared with Kehu's own
run_report for the same user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from bench.database import BenchDB
from bench.fig_lists import actor_of, visibility_sql
from bench.harness import Result, compared, interleaved, not_measured, signed_in

FIGURE = "4. funnel / forecast reports"
PEOPLE = (("rep", "rep.east.001"), ("general manager", "gm.east"))


@dataclass
class ReportCase:
    """One report run: which report, grouped how, and its raw statement."""

    label: str
    key: str
    rows: str
    columns: str
    raw_sql: str
    measure_count: int


def _find(kernel: Any) -> tuple[Any, Any] | None:
    """The funnel report (a stage dimension) and the forecast (month and owner dimensions)."""
    funnel = forecast = None
    for entry in kernel.reports.values():
        report = entry.report
        if report.model.__tablename__ != "crm_opportunity":
            continue
        names = {d.key: d for d in report.dimensions}
        fields = {d.key: d.field.name for d in report.dimensions if d.field is not None}
        stage = next((k for k, f in fields.items() if f == "stage_id"), None)
        owner = next((k for k, f in fields.items() if f == "owner_id"), None)
        month = next((k for k, d in names.items() if getattr(d.expr, "name", "") == "kehu_month"), None)
        if stage and funnel is None and (report.chart == "funnel" or report.default_rows == stage):
            funnel = (entry, stage, "")
        if month and owner and (forecast is None or (report.default_rows, report.default_columns)
                                == (month, owner)):
            forecast = (entry, month, owner)
    if funnel is None or forecast is None:
        return None
    return funnel, forecast


def _raw_sql(kernel: Any, report: Any, rows: str, columns: str, actor: Any, mark: str) -> tuple[str, list[Any]]:
    dialect = kernel.engine.dialect

    def text(expression: Any) -> str:
        return str(expression.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    dimensions = [report.dimension(rows)] + ([report.dimension(columns)] if columns else [])
    visibility, params = visibility_sql(actor, mark, "crm_opportunity")
    where = [visibility]
    if report.where is not None:
        where.append(text(report.where(report.model, actor)))
    keys = [f"{text(d.expr)} AS d{i}" for i, d in enumerate(dimensions)]
    measures = [f"{text(m.expr)} AS m{i}" for i, m in enumerate(report.measures)]
    groups = ", ".join(f"d{i}" for i in range(len(dimensions)))
    sql = (f"SELECT {', '.join(keys + measures)} FROM crm_opportunity "  # noqa: S608
           f"WHERE {' AND '.join(f'({w})' for w in where)} GROUP BY {groups}")
    return sql, params


def _kehu_total(kernel: Any, report: Any, rows: str, columns: str, actor: Any) -> Any:
    from core.context import acting_as
    from core.reports import run_report

    with acting_as(actor), kernel.session() as session:
        result = run_report(session, report, rows=rows, columns=columns)
    return result.totals[report.measures[0].key]


def run(db: BenchDB, base: str, *, repeat: int) -> list[Result]:
    if "crm_funnel" not in db.addons:
        return [not_measured(FIGURE, db.backend, "ratio ≤ 1.5", "crm_funnel is not installable")]
    kernel = db.boot()
    results: list[Result] = []
    try:
        found = _find(kernel)
        if found is None:
            return [not_measured(FIGURE, db.backend, "ratio ≤ 1.5",
                                 "crm_funnel declares no funnel (stage) and forecast "
                                 "(month × owner) report on crm_opportunity yet")]
        mark = "%s" if kernel.engine.dialect.name == "postgresql" else "?"
        raw = kernel.engine.raw_connection()
        try:
            for who, login in PEOPLE:
                actor = actor_of(kernel, login)
                browser = signed_in(base, login)
                try:
                    for (entry, rows, columns), name in zip(found, ("funnel by stage",
                                                                    "forecast month × rep"), strict=True):
                        report = entry.report
                        sql, params = _raw_sql(kernel, report, rows, columns, actor, mark)

                        def raw_run(sql: str = sql, params: list[Any] = params) -> list[Any]:
                            cursor = raw.cursor()
                            cursor.execute(sql, params)
                            found_rows = list(cursor.fetchall())
                            cursor.close()
                            return found_rows

                        url = f"/r/{report.key}?rows={rows}&columns={columns}"

                        def kehu_run(url: str = url, client: httpx.Client = browser) -> None:
                            client.get(url).raise_for_status()

                        expected = _kehu_total(kernel, report, rows, columns, actor)
                        width = 2 if columns else 1  # the dimensions come before the measures
                        got = sum(float(r[width] or 0) for r in raw_run())
                        if report.measures[0].kind == "money":
                            got /= 100
                        if abs(float(expected) - got) > 0.01 * max(1.0, abs(got)):
                            raise RuntimeError(f"{report.key} as {login}: Kehu total {expected} "
                                               f"but raw SQL {got}")
                        kehu, plain = interleaved(kehu_run, raw_run, repeat=repeat)
                        results.append(compared(
                            f"{FIGURE[:2]} {name} as {who}", db.backend, kehu, plain, 1.5,
                            note=f"/r/{report.key} rows={rows} columns={columns or '-'}"))
                finally:
                    browser.close()
        finally:
            raw.close()
    finally:
        kernel.engine.dispose()
    return results
