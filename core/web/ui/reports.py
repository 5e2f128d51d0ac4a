"""Report pages: /r lists what the user may open, /r/<key> shows one (form, chart,
table with totals), /r/<key>.xlsx exports it. Every figure comes from
`core.reports.run_report`, under the user's record rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.context import current_actor
from core.errors import ValidationError
from core.fields import model_label
from core.models import Division
from core.reports import (
    RegisteredReport,
    Report,
    ReportResult,
    chart_data,
    export_xlsx,
    format_value,
    may_open,
    open_report,
    run_report,
    selection_from,
    value_labels,
)
from core.reports.declarations import DIVISION
from core.web.pages import render
from core.web.ui.common import kernel_of, page_context
from core.web.ui.exchange import _limiter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_reports(request: Request) -> list[RegisteredReport]:
    """The reports the signed-in user may open, in label order."""
    kernel = kernel_of(request)
    actor = current_actor()
    if actor.user_id is None and not actor.system:
        return []
    found = [entry for entry in kernel.reports.values() if may_open(kernel.policy, actor, entry)]
    return sorted(found, key=lambda entry: str(entry.report.label))


def _entry(request: Request) -> RegisteredReport:
    kernel = kernel_of(request)
    return open_report(kernel.reports, kernel.policy, current_actor(), request.path_params["key"])


async def report_list(request: Request) -> Response:
    """GET /r: the reports of the enabled addons that the user may open, by model."""
    groups: dict[str, list[RegisteredReport]] = {}
    for entry in visible_reports(request):
        groups.setdefault(model_label(entry.report.model), []).append(entry)
    return render(request, "reports.html",
                  **page_context(request, groups=sorted(groups.items())))


def _run(request: Request, entry: RegisteredReport) -> tuple[ReportResult, dict[str, str]]:
    """The result, and how each dimension restricted to a value names that value."""
    report = entry.report
    with kernel_of(request).session() as session:
        result = run_report(session, report, selection_from(report, request.query_params))
        return result, value_labels(session, report, result.selection)


@dataclass(frozen=True)
class ValueField:
    """An input restricting the report to one value of a dimension ("Sales rep: 李娜")."""

    key: str
    label: str
    kind: str  # picker | choice | bool | text | hidden
    value: str
    display: str
    lookup_url: str = ""
    choices: tuple[tuple[str, str], ...] = ()


def _value_fields(request: Request, report: Report, labels: dict[str, str]) -> list[ValueField]:
    """One input per dimension the user can pick a value of (references need a picker)."""
    kernel, actor = kernel_of(request), current_actor()
    fields = []
    for dimension in report.dimensions:
        info = dimension.field
        value = str(request.query_params.get(dimension.key) or "").strip()
        common: dict[str, Any] = {"key": dimension.key, "label": str(dimension.label),
                                  "value": value, "display": labels.get(dimension.key, value)}
        if dimension.key == DIVISION and info is not None:
            # The division filter: one choice per division the user sees (#14).
            if len(actor.division_ids) > 1:
                fields.append(ValueField(kind="choice", choices=_divisions(request), **common))
            elif value:
                fields.append(ValueField(kind="hidden", **common))
        elif info is not None and info.kind == "ref" and info.target is not None:
            table = info.target.__tablename__  # type: ignore[attr-defined]
            if table in kernel.model_keys and kernel.policy.allowed(actor, info.target, "read"):
                fields.append(ValueField(kind="picker", lookup_url=f"/m/{table}/lookup", **common))
            elif value:  # no picker for this target: keep the value from the address
                fields.append(ValueField(kind="hidden", **common))
        elif info is not None and info.kind == "choice":
            choices = tuple((str(key), str(label)) for key, label in info.choices)
            fields.append(ValueField(kind="choice", choices=choices, **common))
        elif info is not None and info.kind == "bool":
            fields.append(ValueField(kind="bool", **common))
        else:
            fields.append(ValueField(kind="text", **common))
    return fields


def _divisions(request: Request) -> tuple[tuple[str, str], ...]:
    ids = sorted(current_actor().division_ids)
    with kernel_of(request).session() as session:
        rows = session.execute(sa.select(Division.id, Division.name)
                               .where(Division.id.in_(ids)).order_by(Division.id)).all()
    return tuple((str(row[0]), str(row[1])) for row in rows)


def _chips(request: Request, fields: list[ValueField]) -> list[tuple[str, str, str]]:
    """(label, shown value, address without it) of each restricted dimension."""
    chips = []
    for field in fields:
        if field.value:
            url = request.url.remove_query_params(field.key)
            chips.append((field.label, field.display, url.path + (f"?{url.query}" if url.query else "")))
    return chips


def script_json(data: Any) -> Markup:
    """JSON for a <script type="application/json"> element: no "</script>" can end it."""
    text = json.dumps(data, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _table(result: ReportResult) -> dict[str, Any]:
    """The table as formatted text: rows of (label, [cell texts]), totals line."""
    measures = result.measures

    def texts(values: dict[str, Any]) -> list[str]:
        return [format_value(m, values.get(m.key)) for m in measures]

    blank = ["–"] * len(measures)  # no record where the row and the column meet
    lines = []
    for row in result.rows:
        cells = [texts(result.cells[row.value, c.value]) if (row.value, c.value) in result.cells
                 else blank for c in result.columns]
        lines.append({"label": row.label, "cells": cells, "total": texts(result.row(row.value))})
    column_totals = [texts(result.column_totals.get(c.value) or result.empty())
                     for c in result.columns]
    return {"lines": lines, "column_totals": column_totals, "total": texts(result.totals)}


async def report_page(request: Request) -> Response:
    """GET /r/<key>?rows=&columns=&f=&from=&to=&<dimension>=<value>: the form, chart, table."""
    entry = _entry(request)
    report = entry.report
    context: dict[str, Any] = {"report": report, "params": request.query_params,
                               "query": request.url.query}
    try:
        result, labels = await run_in_threadpool(_run, request, entry)
    except ValidationError as error:
        fields = _value_fields(request, report, {})
        return render(request, "report.html", status_code=400,
                      **page_context(request, error=error, result=None, value_fields=fields,
                                     chips=[], **context))
    chart = chart_data(result)
    fields = _value_fields(request, report, labels)
    return render(request, "report.html", **page_context(
        request, result=result, table=_table(result), value_fields=fields,
        chips=_chips(request, fields), chart_json=script_json(chart) if chart else None,
        **context))


async def report_export(request: Request) -> Response:
    """GET /r/<key>.xlsx?<the page's parameters>: the table as an Excel workbook."""
    entry = _entry(request)
    _limiter(request).check(current_actor().user_id)

    def build() -> bytes:
        return export_xlsx(_run(request, entry)[0])

    body = await run_in_threadpool(build)
    filename = f"{entry.key}.xlsx"
    return Response(body, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def report_routes() -> list[BaseRoute]:
    """The routes of the report pages (the export first: "<key>.xlsx" is no key)."""
    return [
        Route("/r", report_list, name="report_list"),
        Route("/r/{key}.xlsx", report_export, name="report_export"),
        Route("/r/{key}", report_page, name="report_page"),
    ]

