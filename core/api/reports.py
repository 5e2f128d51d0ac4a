"""GET /api/v1/reports/<key>: a declared report's figures as JSON (core.reports).

The same rules as the page /r/<key>: 404 when the report's addon is off in
the caller's division, 403 when their roles may not open it, record rules
inside the query. Errors have the API's one shape; runs are rate limited
like other expensive requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from core.api.errors import BadRequest
from core.api.ratelimit import RateLimiter
from core.context import current_actor
from core.errors import ValidationError
from core.kernel import Kernel
from core.reports import RegisteredReport, may_open, open_report, run_report, selection_from

JSON = "application/json"


def report_handler(kernel: Kernel, limiter: Callable[[Request], RateLimiter]
                   ) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of `kernel`'s reports; `limiter` picks the request's rate limiter."""

    def run(entry: RegisteredReport, params: Any) -> dict[str, Any]:
        report = entry.report
        try:
            selection = selection_from(report, params)
        except ValidationError as error:
            raise BadRequest(error.message, fields=error.fields) from None
        with kernel.sessions() as session:
            return run_report(session, report, selection).as_dict()

    async def endpoint(request: Request) -> Response:
        actor = current_actor()
        entry = open_report(kernel.reports, kernel.policy, actor, request.path_params["key"])
        limiter(request).check(actor.user_id)
        return JSONResponse(await run_in_threadpool(run, entry, request.query_params))

    return endpoint


def visible_reports(kernel: Kernel) -> list[RegisteredReport]:
    """The reports the caller may open, in key order (for the OpenAPI document)."""
    actor = current_actor()
    return sorted((e for e in kernel.reports.values() if may_open(kernel.policy, actor, e)),
                  key=lambda entry: entry.key)


def _values_schema(entry: RegisteredReport) -> dict[str, Any]:
    properties = {m.key: ({"type": "integer"} if m.kind in ("count", "int") else
                          {"type": ["string", "null"], "description": "Exact decimal"
                           + (" in yuan" if m.kind == "money" else "")})
                  for m in entry.report.measures}
    return {"type": "object", "properties": properties}


def _result_schema(entry: RegisteredReport) -> dict[str, Any]:
    values = _values_schema(entry)
    heading: dict[str, Any] = {"type": "object", "required": ["key", "label"],
               "properties": {"key": {}, "label": {"type": "string"}, "values": values}}
    row = {**heading, "properties": {**heading["properties"],
                                     "cells": {"type": "array", "items": values}}}
    dimension = {"type": "object", "properties": {"key": {"type": "string"},
                                                  "label": {"type": "string"}}}
    return {"type": "object",
            "required": ["report", "rows_dimension", "measures", "rows", "totals"],
            "properties": {
                "report": {"type": "string"}, "label": {"type": "string"},
                "rows_dimension": dimension,
                "columns_dimension": {"anyOf": [dimension, {"type": "null"}]},
                "measures": {"type": "array", "items": {"type": "object"}},
                "columns": {"type": "array", "items": heading},
                "rows": {"type": "array", "items": row},
                "totals": values,
                "filters": {"type": "array", "items": {"type": "string"}},
                "from": {"type": ["string", "null"]}, "to": {"type": ["string", "null"]},
            }}


def report_paths(entries: Sequence[RegisteredReport], prefix: str,
                 errors: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI path items of `entries` (`errors`: status → response reference)."""
    paths: dict[str, Any] = {}
    for entry in entries:
        report = entry.report
        keys = [d.key for d in report.dimensions]
        parameters: list[dict[str, Any]] = [
            {"name": "rows", "in": "query", "schema": {"type": "string", "enum": keys,
                                                       "default": report.default_rows},
             "description": "Dimension of the rows"},
            {"name": "columns", "in": "query", "schema": {"type": "string", "enum": ["", *keys]},
             "description": "Dimension of the columns (empty: none; absent: "
                            f"{report.default_columns or 'none'})"},
        ]
        if report.filters:
            parameters.append({"name": "f", "in": "query", "explode": True, "style": "form",
                               "schema": {"type": "array", "items": {
                                   "type": "string", "enum": [f.key for f in report.filters]}},
                               "description": "Filters, all applied"})
        parameters += [{"name": d.key, "in": "query", "schema": {"type": "string", "maxLength": 100},
                        "description": f"Only rows whose {d.label} is this value (an id for a "
                                       "reference, the text shown for a month or quarter)"}
                       for d in report.dimensions]
        if report.date_field is not None:
            parameters += [{"name": name, "in": "query", "description": text,
                            "schema": {"type": "string", "format": "date"}}
                           for name, text in (("from", "First day of the period"),
                                              ("to", "Last day of the period (included)"))]
        responses: dict[str, Any] = {
            "200": {"description": "The figures, totals by the database",
                    "content": {JSON: {"schema": _result_schema(entry)}}}, **errors}
        paths[f"{prefix}/reports/{entry.key}"] = {"get": {
            "operationId": f"report_{entry.key}", "tags": ["reports"],
            "summary": str(report.label), "parameters": parameters,
            "responses": responses,
        }}
    return paths
