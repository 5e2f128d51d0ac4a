"""The generated list page: search, filters, saved filters, group-by, keyset pages,
column chooser, bulk actions, and the search endpoint of many-to-one pickers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from core.context import current_actor
from core.errors import KehuError, ValidationError
from core.fields import FieldInfo, display_name_column
from core.i18n import _
from core.lists import Condition, ListQuery, parse_filters
from core.lookups import division_scoped, picker_conditions
from core.models import SavedFilter
from core.web.pages import render, with_notice
from core.web.ui.actions import bulk_buttons, run_bulk
from core.web.ui.common import ModelPage, kernel_of, model_page, page_context
from core.web.ui.display import show

RESERVED = frozenset({"q", "order", "cursor", "group", "cols", "count", "f", "limit", "lang"})
MAX_LIMIT = 200


def _columns(page: ModelPage, params: QueryParams) -> list[FieldInfo]:
    records = page.records
    chosen = [name for name in params.get("cols", "").split(",") if name in records.all_fields]
    return [records.all_fields[name] for name in chosen] or records.columns


def _conditions(page: ModelPage, params: QueryParams) -> tuple[Condition, ...]:
    """The list's filters in the one grammar, and its named filters (`f=`)."""
    records = page.records
    filters = {k: v for k, v in params.items() if k not in RESERVED}
    return tuple(parse_filters(filters, records.all_fields, strict=False))


def _named(page: ModelPage, params: QueryParams) -> tuple[sa.ColumnElement[bool], ...]:
    listing = page.records.views.listing
    named = {f.key: f for f in (listing.filters if listing else ())}
    actor = current_actor()
    return tuple(named[key].condition(page.model, actor) for key in params.getlist("f")
                 if key in named)


def list_query(page: ModelPage, params: QueryParams, *, limit: int | None = None) -> ListQuery:
    """The list request of the page's query string (also what its export exports)."""
    default = page.records.views.listing.page_size if page.records.views.listing else 50
    return ListQuery(
        conditions=_conditions(page, params), search=params.get("q") or None,
        extra=_named(page, params), order=params.get("order") or None,
        cursor=params.get("cursor") or None, limit=limit or _limit(params, default),
        fields=tuple(_columns(page, params)), count=bool(params.get("count")),
    )


def _limit(params: QueryParams, default: int) -> int:
    try:
        return max(1, min(MAX_LIMIT, int(params.get("limit", default))))
    except ValueError:
        return default


def _rows(session: Session, page: ModelPage, params: QueryParams) -> dict[str, Any]:
    query = list_query(page, params)
    columns = list(query.fields or ())
    result = page.records.list(session, query)
    names = result.names
    rows = [
        {"id": row.id, "cells": [show(f, getattr(row, f.name), names.get(f.name)) for f in columns]}
        for row in result.rows
    ]
    counted = (result.count, result.capped) if result.count is not None else None
    return {"rows": rows, "columns": columns, "next_cursor": result.next_cursor,
            "previous_cursor": result.previous_cursor, "count": counted}


def _groups(session: Session, page: ModelPage, params: QueryParams, by: str) -> dict[str, Any]:
    records = page.records
    field = records.all_fields[by]
    query = list_query(page, params)
    statement = records.select(conditions=query.conditions, search=query.search,
                               extra=query.extra)
    groups = records.group(session, statement, by)
    names = {}
    if field.kind == "ref" and field.target is not None:
        names = records.display_names(session, field.target, {g[0] for g in groups} - {None})
    base = {k: v for k, v in params.multi_items() if k not in ("group", "cursor")}
    shown = []
    for value, count, sums in groups:
        if value is None:
            link = {**dict(base), f"{by}__isnull": "1"}
        else:
            link = {**dict(base), by: str(value)}
        shown.append({"label": show(field, value, names) or _("(empty)"), "count": count,
                      "sums": [show(records.all_fields[n], v) for n, v in sums.items()],
                      "url": "?" + urlencode(link)})
    sum_fields = [records.all_fields[name] for name in (groups[0][2] if groups else {})]
    return {"groups": shown, "group_field": field, "sum_fields": sum_fields,
            "total": sum(g[1] for g in groups)}


def _saved(session: Session, page: ModelPage) -> list[SavedFilter]:
    actor = current_actor()
    return list(session.scalars(
        sa.select(SavedFilter).where(SavedFilter.user_id == actor.user_id,
                                     SavedFilter.model == page.key).order_by(SavedFilter.name)
    ))


def _list_context(request: Request, key: str) -> dict[str, Any]:
    page = model_page(request, key)
    params = request.query_params
    kernel = kernel_of(request)
    with kernel.session() as session:
        by = params.get("group")
        data = _groups(session, page, params, by) if by else _rows(session, page, params)
        saved = _saved(session, page)
    listing = page.records.views.listing
    query = {k: v for k, v in params.multi_items() if k not in ("cursor", "count")}
    return page_context(
        request, page=page, data=data, params=params, saved=saved,
        filters=listing.filters if listing else (),
        group_fields=[page.records.all_fields[f.key] for f in (listing.group_by if listing else ())],
        all_fields=list(page.records.all_fields.values()),
        chosen=[f.name for f in _columns(page, params)],
        conditions=[(k, v) for k, v in params.multi_items() if k not in RESERVED and v],
        query=urlencode(query), grouped=bool(by), bulk=bulk_buttons(request, page),
    )


async def list_page(request: Request) -> Response:
    """GET /m/<key>: the list."""
    try:
        context = await run_in_threadpool(_list_context, request, request.path_params["key"])
    except ValidationError as error:
        context = {"page": model_page(request, request.path_params["key"]), "error": error}
        return render(request, "list_error.html", status_code=400, **page_context(request, **context))
    return render(request, "list.html", **context)


def _bulk(request: Request, key: str, form: FormData, ids: list[str]) -> str:
    page = model_page(request, key)
    name = str(form.get("action") or "")
    if not ids:
        raise ValidationError(_("Tick the rows to act on."))
    if name != "delete":
        if not name:
            raise ValidationError(_("Choose an action."), fields={"action": _("Choose an action.")})
        return run_bulk(request, key, name, form, [int(raw) for raw in ids])
    kernel = kernel_of(request)
    with kernel.sessions.begin() as session:
        for raw in ids:
            page.records.delete(session, int(raw))
    return _("{count} records deleted.").format(count=len(ids))


async def bulk_action(request: Request) -> Response:
    """POST /m/<key>/bulk: an action on the ticked rows (delete)."""
    key = request.path_params["key"]
    form = await request.form()
    ids = [str(v) for v in form.getlist("ids") if str(v).isdigit()]
    back = str(form.get("back") or f"/m/{key}")
    try:
        message = await run_in_threadpool(_bulk, request, key, form, ids)
    except KehuError as error:
        details = "; ".join(error.fields.values())
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Nothing was changed"),
                                     message=f"{error.message} {details}".strip(), back=back))
    back = back if back.startswith("/m/") else f"/m/{key}"
    return RedirectResponse(with_notice(request, back, message), status_code=303)


def _save_filter(request: Request, key: str, name: str, query: str) -> None:
    model_page(request, key)
    if not name.strip() or len(name) > 80:
        raise ValidationError(_("Give the filter a name of at most 80 characters."),
                              fields={"name": _("Give the filter a name of at most 80 characters.")})
    actor = current_actor()
    with kernel_of(request).sessions.begin() as session:
        session.add(SavedFilter(user_id=actor.user_id, model=key, name=name.strip(),
                                query=query[:2000]))


async def save_filter(request: Request) -> Response:
    """POST /m/<key>/filters: keep the current filters under a name."""
    key = request.path_params["key"]
    form = await request.form()
    query = str(form.get("query", ""))
    try:
        await run_in_threadpool(_save_filter, request, key, str(form.get("name", "")), query)
    except ValidationError as error:
        return render(request, "message.html", status_code=422,
                      **page_context(request, title=_("The filter was not saved"),
                                     message=error.message, back=f"/m/{key}?{query}"))
    return RedirectResponse(f"/m/{key}?{query}", status_code=303)


def _delete_filter(request: Request, key: str, filter_id: int) -> None:
    actor = current_actor()
    with kernel_of(request).sessions.begin() as session:
        session.execute(sa.delete(SavedFilter).where(
            SavedFilter.id == filter_id, SavedFilter.user_id == actor.user_id))


async def delete_filter(request: Request) -> Response:
    """POST /m/<key>/filters/<id>/delete: forget a saved filter of one's own."""
    key = request.path_params["key"]
    await run_in_threadpool(_delete_filter, request, key, int(request.path_params["filter_id"]))
    return RedirectResponse(f"/m/{key}", status_code=303)


def _lookup(request: Request, key: str) -> list[dict[str, Any]]:
    page = model_page(request, key)
    model = page.model
    name = display_name_column(model)
    text = request.query_params.get("q", "").strip()
    statement = sa.select(model.id, name)  # type: ignore[attr-defined]
    if text:
        options = [name.icontains(text, autoescape=True)]
        if hasattr(model, "code"):
            options.append(model.code.istartswith(text, autoescape=True))
        statement = statement.where(sa.or_(*options))
    statement = statement.where(*picker_conditions(model, request.query_params))
    statement = statement.order_by(name, model.id).limit(20)  # type: ignore[attr-defined]
    if division_scoped(model):  # the form follows a customer's division (#14)
        statement = statement.add_columns(model.division_id)  # type: ignore[attr-defined]
    with kernel_of(request).session() as session:
        return [{"id": row[0], "name": str(row[1]),
                 **({"division": row[2]} if len(row) > 2 else {})}
                for row in map(tuple, session.execute(statement))]


async def lookup(request: Request) -> Response:
    """GET /m/<key>/lookup?q=: the first 20 matches for a many-to-one picker."""
    rows = await run_in_threadpool(_lookup, request, request.path_params["key"])
    return JSONResponse(rows)

