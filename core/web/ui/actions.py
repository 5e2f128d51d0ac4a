"""Record actions on the generated pages: buttons on the form, bulk actions on the list.

The checks live in `core.actions`; this module only turns form posts into calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core import actions as record_actions
from core.context import current_actor
from core.errors import KehuError
from core.i18n import _
from core.views import Param, RecordAction
from core.web.pages import render, with_notice
from core.web.ui.common import ModelPage, kernel_of, model_page, page_context


@dataclass(frozen=True)
class ParamInput:
    """One parameter of an action as the template draws it."""

    param: Param
    name: str  # the form field's name
    lookup_url: str | None

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(str(key), str(label)) for key, label in self.param.choices]


@dataclass(frozen=True)
class ActionButton:
    """An action offered on a form or a list."""

    action: RecordAction
    inputs: list[ParamInput]

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


def form_buttons(request: Request, page: ModelPage, record: Any) -> list[ActionButton]:
    """The actions the actor may run on `record`, for its form."""
    offered = record_actions.offered(page.records, current_actor(), record,
                                     policy=kernel_of(request).policy)
    division = getattr(record, "division_id", None)
    return [ActionButton(action, _inputs(request, action, division=division)) for action in offered]


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
    """POST /m/<key>/<id>/do/<name>: run a record action, then back to the record."""
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
        details = "; ".join(f"{_param_label(action, field)}: {text}"
                            for field, text in error.fields.items())
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Not done"),
                                     message=f"{error.message} {details}".strip(),
                                     back=f"/m/{key}/{record_id}"))
    target = f"/m/{key}/{record_id}" if kept else f"/m/{key}"
    return RedirectResponse(with_notice(request, target, message or _("Done.")), status_code=303)


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
