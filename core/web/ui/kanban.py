"""The generated kanban board: cards in columns by a state or a stage.

Moving a card changes that field through the same path as a form save, or,
when the field is a workflow's state, fires the transition between the two
states with all its checks (`move_hooks`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from core.context import current_actor
from core.errors import KehuError
from core.fields import FieldInfo, display_name_column, display_text, field_info
from core.i18n import _
from core.lists import ListQuery
from core.lookups import usable_in
from core.web.pages import render
from core.web.ui.common import ModelPage, kernel_of, model_page, page_context
from core.web.ui.display import show
from core.workflow import kanban_move

CARDS_PER_COLUMN = 50
MAX_COLUMNS = 30

# A mover decides how a card goes to another column; the first that answers wins.
# Signature: (session, page, record, field, value) -> True if it moved the card.
Mover = Callable[[Session, ModelPage, Any, FieldInfo, str], bool]
move_hooks: list[Mover] = [kanban_move]  # a workflow state moves through its transition


def _columns(session: Session, field: FieldInfo, used: set[Any]) -> list[tuple[str, str]]:
    """The board's columns: a choice's values, or the referenced records (stages) of the
    user's own division, active ones and those that hold cards."""
    if field.kind == "choice":
        return [(str(value), str(label)) for value, label in field.choices]
    if field.kind == "ref" and field.target is not None:
        target = field.target
        order = getattr(target, "sequence", None) or target.id  # type: ignore[attr-defined]
        name = display_name_column(target)
        statement = sa.select(target.id, name)  # type: ignore[attr-defined]
        division = current_actor().division_id
        if "division_id" in target.__table__.c and division is not None:  # type: ignore[attr-defined]
            statement = statement.where(usable_in(target, division))  # company-wide ones too (#14)
        if "active" in target.__table__.c:  # type: ignore[attr-defined]
            statement = statement.where(sa.or_(target.active.is_(True),  # type: ignore[attr-defined]
                                               target.id.in_(sorted(used))))  # type: ignore[attr-defined]
        rows = session.execute(statement.order_by(order).limit(MAX_COLUMNS))
        return [(str(row[0]), display_text(target, row[1])) for row in rows]
    raise HTTPException(404)


def _board(request: Request, key: str) -> dict[str, Any]:
    page = model_page(request, key)
    view = page.records.views.kanban
    if view is None:
        raise HTTPException(404)
    field = field_info(view.column_by)
    cards = tuple(field_info(attr) for attr in view.card)
    column = getattr(page.model, field.name)
    with kernel_of(request).session() as session:
        counts: dict[Any, int] = dict(session.execute(
            page.records.select().with_only_columns(column, sa.func.count()).group_by(column)
        ).all())
        columns = _columns(session, field, {value for value in counts if value is not None})
        board = []
        for value, label in columns:
            typed = int(value) if field.kind == "ref" else value
            result = page.records.list(session, ListQuery(
                extra=(column == typed,), order="-id", limit=CARDS_PER_COLUMN, fields=cards))
            names = result.names
            board.append({
                "value": value, "label": label, "count": counts.get(typed, 0),
                "cards": [{"id": row.id, "version": getattr(row, "version", ""),
                           "lines": [show(f, getattr(row, f.name), names.get(f.name)) for f in cards]}
                          for row in result.rows],
            })
    return page_context(request, page=page, board=board, field=field)


async def kanban_page(request: Request) -> Response:
    """GET /m/<key>/kanban."""
    context = await run_in_threadpool(_board, request, request.path_params["key"])
    return render(request, "kanban.html", **context)


def _move(request: Request, key: str, record_id: int, value: str, version: str) -> None:
    page = model_page(request, key)
    view = page.records.views.kanban
    if view is None:
        raise HTTPException(404)
    field = field_info(view.column_by)
    with kernel_of(request).sessions.begin() as session:
        record = page.records.get(session, record_id)
        if any(mover(session, page, record, field, value) for mover in move_hooks):
            return
        page.records.update(session, record_id, {field.name: value},
                            version=int(version) if version.isdigit() else None)


async def move_card(request: Request) -> Response:
    """POST /m/<key>/<id>/move: put the card in another column (to=<value>)."""
    key = request.path_params["key"]
    record_id = int(request.path_params["record_id"])
    form = await request.form()
    try:
        await run_in_threadpool(_move, request, key, record_id, str(form.get("to", "")),
                                str(form.get("version", "")))
    except KehuError as error:
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": {"code": error.code, "message": error.message,
                                           "fields": error.fields}}, status_code=error.status)
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("The card was not moved"),
                                     message=error.message, back=f"/m/{key}/kanban"))
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"moved": record_id})
    return RedirectResponse(f"/m/{key}/kanban", status_code=303)
