"""Record actions on the generated pages: buttons on the form, bulk actions on the list.

The checks live in `core.actions`; this module only turns form posts into calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core import actions as record_actions
from core.context import current_actor
from core.errors import KehuError
from core.fields import FieldInfo, display_name_column, display_text, field_info
from core.i18n import _
from core.lookups import dependencies, division_scoped, usable_in
from core.views import Param, RecordAction
from core.web.pages import flash, render
from core.web.ui.common import ModelPage, kernel_of, model_page, page_context
from core.workflow.editing import allowed_actions
from core.workflow.registry import workflows_of


@dataclass(frozen=True)
class ParamInput:
    """One parameter of an action as the template draws it."""

    param: Param
    name: str  # the form field's name
    lookup_url: str | None
    # What was typed when the action was refused, and why (#19: kept, not lost).
    value: str = ""
    display: str = ""
    error: str | None = None

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(str(key), str(label)) for key, label in self.param.choices]


@dataclass(frozen=True)
class ActionButton:
    """An action offered on a form or a list."""

    action: RecordAction
    inputs: list[ParamInput]
    error: str | None = None  # the refusal of the last try: the button opens on it

    @property
    def key(self) -> str:
        return self.action.key

    @property
    def label(self) -> str:
        return str(self.action.label)

    @property
    def confirm(self) -> str:
        return str(self.action.confirm) if self.action.confirm else ""


def _inputs(request: Request, action: RecordAction, prefix: str = "",
            division: int | None = None) -> list[ParamInput]:
    from core.web.ui.forms import picker_url  # forms imports this module

    result = []
    for param in action.params:
        # A lost reason offered for a deal is one its division may use (#14).
        lookup = picker_url(kernel_of(request), param.target, division)
        result.append(ParamInput(param, prefix + param.name, lookup))
    return result


@dataclass(frozen=True)
class Refused:
    """An action the server refused: the values typed and the errors, to show again."""

    key: str
    values: dict[str, Any]
    error: KehuError
    names: dict[str, str] = field(default_factory=dict)  # display names of typed refs


def form_buttons(request: Request, page: ModelPage, record: Any,
                 refused: Refused | None = None) -> list[ActionButton]:
    """The actions the actor may run on `record`, for its form: the same check as
    `core.actions.run` makes (`core.actions.offered`). A refused action comes back
    open with what was typed and the errors next to its fields."""
    offered = record_actions.offered(page.records, current_actor(), record,
                                     policy=kernel_of(request).policy)
    division = getattr(record, "division_id", None)
    buttons = []
    for action in offered:
        inputs = _inputs(request, action, division=division)
        error = None
        if refused is not None and refused.key == action.key:
            inputs = [ParamInput(i.param, i.name, i.lookup_url,
                                 str(refused.values.get(i.param.name) or ""),
                                 refused.names.get(i.param.name, ""),
                                 refused.error.fields.get(i.param.name)) for i in inputs]
            error = refused.error.message
        buttons.append(ActionButton(action, inputs, error))
    return buttons


def bulk_buttons(request: Request, page: ModelPage) -> list[ActionButton]:
    """The bulk actions the actor may run from the list (parameters prefixed by key)."""
    offered = record_actions.bulk_offered(page.records, current_actor(),
                                          policy=kernel_of(request).policy)
    return [ActionButton(action, _inputs(request, action, f"{action.key}.")) for action in offered]


def _values(form: FormData, action: RecordAction, prefix: str = "") -> dict[str, Any]:
    return {param.name: str(form.get(prefix + param.name, "")) or None
            for param in action.params}


def _run(request: Request, key: str, record_id: int, name: str,
         values: dict[str, Any]) -> tuple[bool, str | None]:
    page = model_page(request, key)
    with kernel_of(request).sessions.begin() as session:
        record, message = record_actions.run(session, page.records, record_id, name, values)
        return record is not None, message


async def run_action(request: Request) -> Response:
    """POST /m/<key>/<id>/do/<name>: run a record action, then back to the record with a
    notice; refused, the record's page again with the action open, what was typed kept
    and the errors next to its fields (#19: no dead end)."""
    from core.web.ui.forms import record_page  # forms imports this module

    key = request.path_params["key"]
    record_id = int(request.path_params["record_id"])
    name = request.path_params["name"]
    form = await request.form()
    page = await run_in_threadpool(model_page, request, key)
    action = page.records.views.action(name)
    values = _values(form, action) if action is not None else {}
    try:
        kept, message = await run_in_threadpool(_run, request, key, record_id, name, values)
    except KehuError as error:
        if action is None:
            return render(request, "message.html", status_code=error.status,
                          **page_context(request, title=_("Not done"), message=error.message,
                                         back=f"/m/{key}/{record_id}"))
        return await record_page(request, key, record_id, status_code=error.status,
                                 refused=Refused(name, values, error))
    target = f"/m/{key}/{record_id}" if kept else f"/m/{key}"
    return flash(request, RedirectResponse(target, status_code=303), message or _("Done."))


def _param_label(action: RecordAction | None, name: str) -> str:
    for param in action.params if action is not None else ():
        if param.name == name:
            return str(param.label)
    return name


def run_bulk(request: Request, key: str, name: str, form: FormData, ids: list[int]) -> str:
    """Run the bulk action `name` on every ticked row in one transaction (all or nothing)."""
    page = model_page(request, key)
    action = page.records.views.action(name)
    if action is None or not action.bulk:
        raise KehuError(_("This action does not exist."))
    values = _values(form, action, f"{name}.")
    with kernel_of(request).sessions.begin() as session:
        for record_id in ids:
            record_actions.run(session, page.records, record_id, name, values)
    return _("{count} records done.").format(count=len(ids))


# ------------------------------------------------------------------ the status bar


@dataclass(frozen=True)
class Step:
    """One state or stage of the status bar; `url` set when the actor may move there now."""

    value: str
    label: str
    current: bool
    passed: bool
    url: str | None = None
    transition: str | None = None


@dataclass(frozen=True)
class StatusBar:
    """A record's states in order, the current one marked, the allowed moves clickable."""

    label: str
    steps: list[Step]
    field: str  # "to" values post under this form field (a stage bar) or none (a workflow)

    @property
    def current(self) -> str:
        return next((step.label for step in self.steps if step.current), "")


def status_bar(page: ModelPage, session: Session, record: Any, *,
               may_edit: bool) -> StatusBar | None:
    """The status bar of `record`: its workflow's states, clickable where
    `core.workflow.editing.allowed_actions` offers a plain transition to them (the engine's
    own checks); else the column field of its kanban (a deal's stages of its sales mode),
    clickable when the form may change that field now (the save path re-checks)."""
    workflow = workflows_of(session).for_model(page.model)
    if workflow is not None:
        current = workflow.current(record)
        moves: dict[str, str] = {}
        for action in allowed_actions(session, record):
            transition = workflow.transition(action.name)
            if action.kind == "transition" and transition is not None \
                    and not action.comment_required and not action.requires:
                moves.setdefault(transition.target, action.name)
        names = [state.name for state in workflow.states]
        position = names.index(current) if current in names else -1
        steps = [Step(state.name, str(state.label), state.name == current, index < position,
                      f"/workflow/{workflow.key}/{record.id}/{moves[state.name]}"
                      if state.name in moves else None, moves.get(state.name))
                 for index, state in enumerate(workflow.states)]
        info = field_info(workflow.field)
        return StatusBar(str(info.label), steps, "")
    view = page.records.views.kanban
    if view is None:
        return None
    info = field_info(view.column_by)
    if info.name not in {f.name for f in page.records.editable}:
        return None
    movable = may_edit and info.name not in page.records.readonly_now(record)
    options = _bar_options(page, session, record, info)
    raw = getattr(record, info.name)
    values = [value for value, _label in options]
    position = values.index(str(raw)) if str(raw) in values else -1
    url = f"/m/{page.key}/{record.id}/status"
    return StatusBar(str(info.label), [
        Step(value, label, value == str(raw), index < position,
             url if movable and value != str(raw) else None)
        for index, (value, label) in enumerate(options)], info.name)


MAX_STEPS = 30


def _bar_options(page: ModelPage, session: Session, record: Any,
                 info: FieldInfo) -> list[tuple[str, str]]:
    """The values of the bar: a choice's options, or the referenced rows the record may
    take (those of its division, active, and of what the form's other fields select:
    a deal's stages of its sales mode)."""
    if info.kind == "choice":
        return [(str(key), str(label)) for key, label in info.choices]
    target = info.target
    if info.kind != "ref" or target is None:
        return []
    columns = target.__table__.c  # type: ignore[attr-defined]
    key: Any = sa.inspect(target).primary_key[0]
    # The short name when the bar shows one mode's stages (not "SI 供货 · 商务谈判").
    name = columns["name"] if "name" in columns else display_name_column(target)
    statement = sa.select(key, name)
    current = getattr(record, info.name)
    division = getattr(record, "division_id", None)
    if division is not None and division_scoped(target):
        statement = statement.where(sa.or_(usable_in(target, division), key == current))
    if "active" in columns:
        statement = statement.where(sa.or_(columns["active"].is_(True), key == current))
    for column, name in dependencies(target, page.records.editable).items():
        statement = statement.where(columns[column] == getattr(record, name))
    order = [columns["sequence"]] if "sequence" in columns else []
    rows = session.execute(statement.order_by(*order, key).limit(MAX_STEPS))
    return [(str(row[0]), display_text(target, row[1])) for row in rows]


def _set_status(request: Request, key: str, record_id: int, value: str, version: str) -> str:
    page = model_page(request, key)
    view = page.records.views.kanban
    if view is None:
        raise KehuError(_("This action does not exist."))
    info = field_info(view.column_by)
    with kernel_of(request).sessions.begin() as session:
        record = page.records.update(session, record_id, {info.name: value},
                                     version=int(version) if version.isdigit() else None)
        shown = _bar_options(page, session, record, info)
        label = dict(shown).get(str(getattr(record, info.name)), value)
    return _("{field}: {value}.").format(field=str(info.label), value=label)


async def set_status(request: Request) -> Response:
    """POST /m/<key>/<id>/status: a click on the status bar (to=<value>) saves that field
    through the form's save path; refused, the record's page says why."""
    from core.web.ui.forms import record_page  # forms imports this module

    key = request.path_params["key"]
    record_id = int(request.path_params["record_id"])
    form = await request.form()
    try:
        message = await run_in_threadpool(_set_status, request, key, record_id,
                                          str(form.get("to", ""))[:20],
                                          str(form.get("version", ""))[:12])
    except KehuError as error:
        return await record_page(request, key, record_id, status_code=error.status,
                                 failure=error)
    return flash(request, RedirectResponse(f"/m/{key}/{record_id}", status_code=303), message)
