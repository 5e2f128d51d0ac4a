"""The generated form: WTForms built from the model's form view, saved through Records."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
import wtforms
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; stubs 3.2 lack it

from core.context import current_actor
from core.errors import KehuError, NotFound
from core.fields import FieldInfo, display_name_column, display_text, field_info
from core.i18n import _, current_locale
from core.lookups import (
    dependencies,
    division_from_references,
    division_scoped,
    follows_division,
    is_lookup,
    usable_in,
)
from core.models import Division
from core.orm import Model
from core.sharing import team_panel
from core.views import Section
from core.web.approvals import panel as workflow_panel
from core.web.pages import flash, render
from core.web.ui.actions import Refused, form_buttons, status_bar
from core.web.ui.chatter import chatter_context
from core.web.ui.common import ModelPage, kernel_of, model_page, page_context
from core.web.ui.display import form_value, show
from core.web.ui.related import related_tabs
from core.workflow.editing import allowed_actions, locked_now


def _wtf_field(field: FieldInfo) -> wtforms.Field:
    """An unbound WTForms field for `field` (rendering only: Records validates)."""
    label = str(field.label)
    if field.kind == "longtext":
        return wtforms.TextAreaField(label)
    if field.kind == "bool":
        return wtforms.BooleanField(label)
    if field.kind == "choice":
        return wtforms.SelectField(label, choices=[SelectChoice("", "")] + [
            SelectChoice(str(key), str(value)) for key, value in field.choices])
    if field.kind == "ref":
        return wtforms.HiddenField(label)
    if field.kind == "many":
        return wtforms.SelectMultipleField(label, choices=[])
    return wtforms.StringField(label)


@lru_cache(maxsize=256)
def form_class(model: type, fields: tuple[FieldInfo, ...], locale: str) -> type[wtforms.Form]:
    """A WTForms form class with one field per form field of `model`, its labels and
    options in `locale` (a class per language: the first request's must not stick)."""
    attributes = {field.name: _wtf_field(field) for field in fields}
    return type(f"{model.__name__}Form", (wtforms.Form,), attributes)


_INPUT_TYPES = {"int": "number", "date": "date", "datetime": "datetime-local", "decimal": "text",
                "money": "text"}


@dataclass
class Widget:
    """One field as the template draws it."""

    info: FieldInfo
    field: wtforms.Field
    readonly: bool
    error: str | None
    display: str  # a reference's current name
    lookup_url: str | None
    # "column=input id,...": picker parameters read from the form (#14).
    depends: str = ""
    # The picker offers other rows when the record's division changes; choosing one of
    # its rows (a customer) moves a new record to that row's division (#14).
    follows: bool = False
    sets_division: bool = False

    def render(self) -> Any:
        attrs: dict[str, Any] = {"id": f"f-{self.info.name}"}
        if self.info.kind in _INPUT_TYPES:
            attrs["type"] = _INPUT_TYPES[self.info.kind]
        if self.info.kind in ("decimal", "money"):
            attrs["inputmode"] = "decimal"
        if self.info.max_length and self.info.kind == "text":
            attrs["maxlength"] = self.info.max_length
        if self.info.required and self.info.kind != "bool":
            attrs["required"] = True
        if self.readonly:
            attrs["readonly" if self.info.kind not in ("choice", "bool") else "disabled"] = True
        if self.error:
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"e-{self.info.name}"
        return self.field(**attrs)


def _sections(page: ModelPage) -> list[tuple[str | None, list[FieldInfo]]]:
    form = page.records.views.form
    if form is None:
        return [(None, page.records.editable)]
    result: list[tuple[str | None, list[FieldInfo]]] = []
    loose: list[FieldInfo] = []
    for item in form.fields:
        if isinstance(item, Section):
            result.append((str(item.label), [field_info(a) for a in item.fields]))
        else:
            loose.append(field_info(item))
    return ([(None, loose)] if loose else []) + result


def _readonly(page: ModelPage, record: Any) -> set[str]:
    form = page.records.views.form
    if record is None or form is None or not page.can_write:
        return set() if record is None else {f.name for f in page.records.editable}
    return page.records.readonly_now(record)


MAX_OPTIONS = 1000


def _options(session: Any, target: type, division: int | None = None) -> list[SelectChoice]:
    """Choices of a many-to-many field: the visible target records the record's
    division may use (its own and company-wide ones, #14), by name."""
    name = display_name_column(target)
    key: Any = sa.inspect(target).primary_key[0]
    statement = sa.select(key, name)
    if division is not None and division_scoped(target):
        statement = statement.where(usable_in(target, division))
    rows = session.execute(statement.order_by(name).limit(MAX_OPTIONS))
    return [SelectChoice(str(row[0]), display_text(target, row[1])) for row in rows]


def record_division(record: Any, chosen: int | None = None) -> int | None:
    """The division whose lookups a form's pickers offer: the record's, or for a new
    record the one chosen on the form, else the user's (where it will be created, #14)."""
    division = getattr(record, "division_id", None) if record is not None else None
    if division is not None:
        return int(division)
    return chosen if chosen is not None else current_actor().division_id


def _shows_division(page: ModelPage) -> bool:
    """Whether the form has a division field of its own (departments): then it is not
    chosen above the form, and what is posted under that name is the field's value."""
    return any(field.name == "division_id" for field in page.records.editable)


def division_choices(request: Request, page: ModelPage, record: Any) -> list[tuple[int, str]]:
    """The divisions a new record may be created in, for a user of several divisions
    (headquarters staff): those where the model's addon is on; none otherwise (#14)."""
    actor = current_actor()
    columns = page.model.__table__.c  # type: ignore[attr-defined]
    if record is not None or len(actor.division_ids) < 2 or "division_id" not in columns \
            or _shows_division(page):
        return []
    kernel = kernel_of(request)
    addon = kernel.policy.owner_addon.get(page.model, "core")
    with kernel.session() as session:
        rows = session.execute(sa.select(Division.id, Division.name).where(
            Division.id.in_(sorted(actor.division_ids)), Division.active).order_by(Division.id))
        return [(int(row[0]), str(row[1])) for row in rows
                if addon == "core" or addon in kernel.registry.enabled_for(int(row[0]))]


def chosen_division(choices: list[tuple[int, str]], raw: Any, session: Any, page: ModelPage,
                    values: dict[str, Any]) -> int | None:
    """The division a new record's form works in: the one asked for (`division_id`), else
    the one of the customer it is for, else the user's."""
    allowed = {division for division, _name in choices}
    if str(raw or "").isdigit() and int(raw) in allowed:
        return int(raw)
    refs = {key: int(value) for key, value in values.items() if str(value or "").isdigit()}
    found = division_from_references(session, page.model, refs) if allowed else None
    if found in allowed:
        return found
    # The user's own division when the model's addon is on there, else the first offered:
    # the pickers must offer the lookups of the division the chooser shows.
    own = current_actor().division_id
    return choices[0][0] if choices and own not in allowed else own


def picker_url(kernel: Any, target: Any, division: int | None) -> str | None:
    """The lookup URL of a picker of `target` for a record of `division`."""
    key = getattr(target, "__tablename__", None)
    if key not in kernel.model_keys:
        return None
    if division is not None and follows_division(target):
        return f"/m/{key}/lookup?division={division}"
    return f"/m/{key}/lookup"


def _widgets(request: Request, page: ModelPage, values: dict[str, Any], names: dict[str, str],
             errors: dict[str, str], readonly: set[str], division: int | None = None,
             choosing: bool = False) -> list[tuple[str | None, list[Widget]]]:
    """The form's widgets. `choosing`: the user chooses the new record's division on the
    form; its customer picker then offers the customers of every division the user
    works for, and picking one moves the form to the customer's division (#14)."""
    fields = tuple(page.records.editable)
    form = form_class(page.model, fields, current_locale())(
        data={f.name: values.get(f.name) for f in fields})
    kernel = kernel_of(request)
    division = division if division is not None else record_division(None)
    with kernel.session() as session:
        for field in fields:
            picker = form[field.name]
            if isinstance(picker, wtforms.SelectMultipleField) and field.target is not None:
                picker.choices = _options(session, field.target, division)
    result = []
    for title, infos in _sections(page):
        widgets = []
        for info in infos:
            if info.name not in form._fields:
                continue
            sets = division_scoped(info.target) and not is_lookup(info.target)
            lookup = picker_url(kernel, info.target, None if choosing and sets else division)
            depends = ",".join(f"{column}=f-{name}" for column, name in
                               dependencies(info.target, fields).items()) \
                if lookup and info.target is not None else ""
            widgets.append(Widget(info, form[info.name], info.name in readonly,
                                  errors.get(info.name), names.get(info.name, ""), lookup,
                                  depends, follows_division(info.target) and not (choosing and sets),
                                  sets))
        result.append((title, widgets))
    return result


BLANK_LINES = 2  # empty rows offered under a form's lines (more with "Add line")


@dataclass
class LineCell:
    """One cell of an inline line as the template draws it."""

    info: FieldInfo
    name: str  # the input's name: <lines>.<n>.<field>
    value: Any
    display: str  # a reference's current name
    error: str | None
    lookup_url: str | None

    @property
    def input_type(self) -> str:
        return _INPUT_TYPES.get(self.info.kind, "text")

    @property
    def shown(self) -> str:
        """The cell as text on a read-only line: names, option labels, formatted money."""
        if self.info.kind == "ref":
            return self.display
        try:
            return show(self.info, self.value)
        except ArithmeticError:
            return str(self.value)


@dataclass
class LineTable:
    """The inline lines of one relationship on a form."""

    name: str
    label: str
    headers: list[FieldInfo]
    rows: list[tuple[str, list[LineCell]]]  # (the line's id or "", cells)
    readonly: bool


def _line_tables(request: Request, page: ModelPage, session: Any, record: Any,
                 posted: dict[str, list[dict[str, Any]]] | None, errors: dict[str, str],
                 readonly: bool, division: int | None = None) -> list[LineTable]:
    """The line tables of the form: the record's lines, or what was posted, plus blanks."""
    keys = kernel_of(request).model_keys
    tables = []
    for line in page.records.lines:
        if posted is not None:
            rows = posted.get(line.name, [])
        elif record is not None:
            rows = [{"id": child.id, **{f.name: form_value(f, getattr(child, f.name))
                                        for f in line.fields}}
                    for child in getattr(record, line.name)]
        else:
            rows = []
        names = _line_names(page, session, line, rows)
        drawn = []
        blanks = 0 if readonly else BLANK_LINES
        for number, row in enumerate([*rows, *({} for _blank in range(blanks))], start=1):
            cells = []
            for field in line.fields:
                table = getattr(field.target, "__tablename__", None)
                raw = row.get(field.name)
                cells.append(LineCell(
                    field, f"{line.name}.{number}.{field.name}", "" if raw is None else raw,
                    names.get((field.name, str(raw)), ""),
                    errors.get(f"{line.name}.{number}.{field.name}"),
                    picker_url(kernel_of(request), field.target,
                               record_division(record, division))
                    if table in keys else None))
            drawn.append((str(row.get("id") or ""), cells))
        tables.append(LineTable(line.name, str(line.label or ""), list(line.fields), drawn,
                                readonly))
    return tables


def _line_names(page: ModelPage, session: Any, line: Any,
                rows: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Names of the records the lines reference, one query per reference column."""
    names = {}
    for field in line.fields:
        if field.kind != "ref" or field.target is None:
            continue
        ids = {int(row[field.name]) for row in rows if str(row.get(field.name) or "").isdigit()}
        for found_id, name in page.records.display_names(session, field.target, ids).items():
            names[(field.name, str(found_id))] = name
    return names


def posted_lines(page: ModelPage, form: Any) -> dict[str, list[dict[str, Any]]]:
    """The lines a form posted (`<lines>.<n>.<field>`), in row order; blank rows and
    rows ticked for removal are left out."""
    result = {}
    for line in page.records.lines:
        rows: dict[int, dict[str, Any]] = {}
        prefix = line.name + "."
        if not any(key.startswith(prefix) for key in form.keys()):
            continue  # the form showed these lines read-only: leave them as they are
        for key, value in form.multi_items():
            if not key.startswith(prefix):
                continue
            number, _dot, field = key[len(prefix):].partition(".")
            if number.isdigit() and len(number) < 5:
                rows.setdefault(int(number), {})[field] = str(value)
        kept = []
        for _number, row in sorted(rows.items()):
            if row.pop("_remove", None):
                continue
            cells = {f.name: row.get(f.name, "").strip() for f in line.fields}
            if not row.get("id") and not any(cells.values()):
                continue
            if line.fields and any(f.kind == "bool" for f in line.fields):
                cells.update({f.name: f.name in row for f in line.fields if f.kind == "bool"})
            kept.append({**({"id": row["id"]} if row.get("id") else {}),
                         **{k: (v if v != "" else None) for k, v in cells.items()}})
        result[line.name] = kept
    return result


def _record_values(page: ModelPage, session: Any, record: Any) -> tuple[dict[str, Any], dict[str, str]]:
    fields = page.records.editable
    values = {
        f.name: [str(sa.inspect(item).identity[0]) for item in getattr(record, f.name)]
        if f.kind == "many"
        else form_value(f, getattr(record, f.name))
        for f in fields
    }
    refs = page.records.references(session, [record], [f for f in fields if f.kind == "ref"])
    names = {name: found.get(getattr(record, name), "") for name, found in refs.items()}
    return values, names


def _ref_names(page: ModelPage, session: Any, values: dict[str, Any]) -> dict[str, str]:
    names = {}
    for field in page.records.editable:
        raw = values.get(field.name)
        if field.kind == "ref" and field.target is not None and str(raw or "").isdigit():
            found = page.records.display_names(session, field.target, {int(str(raw))})
            names[field.name] = found.get(int(str(raw)), "")
    return names


@dataclass(frozen=True)
class Offers:
    """What a record's page offers: the answers the save and delete paths give, from the
    same checks (the model's rights, the workflow's lock, the form's read-only fields)."""

    edit: bool
    delete: bool


def record_offers(page: ModelPage, record: Any) -> Offers:
    """Whether the actor may edit and delete `record` now (a new one: create)."""
    if record is None:
        return Offers(page.can_create, False)
    locked = locked_now(record)
    return Offers(edit=page.can_write and not locked and not _lines_locked(page, record),
                  delete=page.can_delete and not locked)


@dataclass(frozen=True)
class ReadField:
    """A field as read mode shows it: its label and its value as text."""

    info: FieldInfo
    text: str


def _read_sections(page: ModelPage, session: Any, record: Any,
                   names: dict[str, str]) -> list[tuple[str | None, list[ReadField]]]:
    """The form's sections as text: names for references, labels for options (#19)."""
    result = []
    for title, infos in _sections(page):
        shown = []
        for info in infos:
            value = getattr(record, info.name, None)
            if info.kind == "many":
                text = ", ".join(display_text(type(item), getattr(
                    item, display_name_column(type(item)).key)) for item in value or ())
            elif info.kind == "ref":
                text = names.get(info.name, "") if value is not None else ""
            else:
                text = show(info, value)
            shown.append(ReadField(info, text))
        result.append((title, shown))
    return result


def _refused_names(page: ModelPage, session: Any, refused: Refused | None) -> Refused | None:
    """`refused` with the names of the records its typed references point at."""
    action = page.records.views.action(refused.key) if refused is not None else None
    if refused is None or action is None:
        return refused
    for param in action.params:
        raw = str(refused.values.get(param.name) or "")
        if param.kind == "ref" and param.target is not None and raw.isdigit() and len(raw) < 10:
            found = page.records.display_names(session, param.target, {int(raw)})
            refused.names[param.name] = found.get(int(raw), "")
    return refused


def _form_context(request: Request, key: str, record_id: int | None, *, edit: bool = True,
                  refused: Refused | None = None,
                  failure: KehuError | None = None) -> dict[str, Any]:
    page = model_page(request, key)
    extra: dict[str, Any] = {}
    with kernel_of(request).session() as session:
        record = page.records.get(session, record_id) if record_id is not None else None
        if record is not None:
            values, names = _record_values(page, session, record)
        else:
            editable = {f.name for f in page.records.editable}
            values = _defaults(page) | {key: value for key, value in request.query_params.items()
                                        if key in editable}
            names = _ref_names(page, session, values)
        choices = division_choices(request, page, record)
        chosen = chosen_division(choices, request.query_params.get("division_id"), session,
                                 page, values) if choices else None
        title = _record_title(page, record)
        readonly = _readonly(page, record)
        offers = record_offers(page, record)
        editing = record is None or (edit and offers.edit)
        if record is not None and issubclass(page.model, Model):
            extra = chatter_context(request, key, record, session)
            extra["workflow"] = workflow_panel(session, record)
            if extra["workflow"] is not None:  # offer only what the engine would fire (#19)
                extra["workflow"] = dataclasses.replace(
                    extra["workflow"], actions=allowed_actions(session, record))
            extra["actions"] = form_buttons(request, page, record,
                                            _refused_names(page, session, refused))
            extra["team"] = team_panel(session, record, current_actor())
            if extra["team"] is not None:  # the team panel adds and removes members
                extra["actions"] = [b for b in extra["actions"] if b.key not in ("share", "unshare")]
            extra["tabs"] = related_tabs(kernel_of(request), session, page.model, record)
            extra["status"] = status_bar(page, session, record, may_edit=offers.edit)
            extra["state_badge"] = _state_badge(page, record, extra["status"])
        if record is not None and not editing:
            extra["read_sections"] = _read_sections(page, session, record, names)
        extra["line_tables"] = _line_tables(
            request, page, session, record, None, {},
            record is not None and (not editing or _lines_locked(page, record)), chosen)
    return page_context(request, page=page, record=record, title=title, links=_links(page, record),
                        **extra, division_choices=choices, division=chosen, offers=offers,
                        editing=editing, error=failure,
                        sections=_widgets(request, page, values, names, {}, readonly,
                                          record_division(record, chosen), bool(choices))
                        if editing else [])


def _state_badge(page: ModelPage, record: Any, status: Any) -> str:
    """The record's `state` when the status bar shows something else (a deal's stages:
    won / lost), as text."""
    info = next((f for f in page.records.editable if f.name == "state"), None)
    if info is None or info.kind != "choice" or (status is not None and status.field in ("", "state")):
        return ""
    return show(info, getattr(record, "state", None))


async def record_page(request: Request, key: str, record_id: int, *, status_code: int = 200,
                      refused: Refused | None = None,
                      failure: KehuError | None = None) -> Response:
    """The record's page in read mode; after a refused action or status move, with the
    refusal shown (and the action's typed values kept)."""
    try:
        context = await run_in_threadpool(
            lambda: _form_context(request, key, record_id, edit=False, refused=refused,
                                  failure=failure or (refused.error if refused else None)))
    except NotFound as error:
        return render(request, "message.html", status_code=404,
                      **page_context(request, title=_("Not found"), message=error.message,
                                     back=f"/m/{key}"))
    return render(request, "form.html", status_code=status_code, **context)


def _lines_locked(page: ModelPage, record: Any) -> bool:
    """Lines are read-only in the states where the form locks every field."""
    locked = page.records.readonly_now(record)
    return bool(locked) and locked >= {f.name for f in page.records.editable}


def _links(page: ModelPage, record: Any) -> list[tuple[str, str]]:
    form = page.records.views.form
    if record is None:
        return []
    actor = current_actor()
    why = [(_("Why can a user see this?"), f"/m/{page.key}/{record.id}/why")] if actor.is_admin else []
    if form is None:
        return why
    return why + [
        (str(link.label), link.url.replace("{id}", str(record.id)))
        for link in form.links
        if (not link.roles or actor.is_admin or set(link.roles) & actor.roles)
        and (link.visible is None or link.visible(record))
    ]


def _defaults(page: ModelPage) -> dict[str, Any]:
    """The scalar column defaults a new record starts with."""
    values = {}
    for field in page.records.editable:
        default = field.column.default if field.column is not None else None
        if default is not None and getattr(default, "is_scalar", False):
            values[field.name] = form_value(field, getattr(default, "arg", None))
    return values


def _record_title(page: ModelPage, record: Any) -> str:
    if record is None:
        return _("New {model}").format(model=page.label)
    return str(getattr(record, display_name_column(page.model).key))


async def form_page(request: Request) -> Response:
    """GET /m/<key>/new (the form) and /m/<key>/<id>: the record in read mode, or with
    `?edit=1` in edit mode when its rights and state allow a change (#19)."""
    key = request.path_params["key"]
    raw_id = request.path_params.get("record_id")
    record_id = int(raw_id) if raw_id is not None else None
    edit = request.query_params.get("edit") == "1"
    try:
        context = await run_in_threadpool(lambda: _form_context(request, key, record_id,
                                                                edit=edit))
    except NotFound as error:
        return render(request, "message.html", status_code=404,
                      **page_context(request, title=_("Not found"), message=error.message,
                                     back=f"/m/{key}"))
    return render(request, "form.html", **context)


def _many_names(request: Request, key: str) -> list[str]:
    model = kernel_of(request).model_keys.get(key)
    records = kernel_of(request).records.get(model) if model is not None else None
    return [f.name for f in records.editable if f.kind == "many"] if records else []


def _save(request: Request, key: str, record_id: int | None, data: dict[str, Any],
          lines: dict[str, list[dict[str, Any]]]) -> int:
    page = model_page(request, key)
    version = data.pop("version", None)
    division = None
    if not _shows_division(page):  # the chooser's value, else the form's own field
        raw_division = str(data.pop("division_id", "") or "")
        division = int(raw_division) if raw_division.isdigit() and len(raw_division) < 10 else None
    values = {f.name: data.get(f.name) for f in page.records.editable
              if f.name in data or f.kind in ("bool", "many")}
    values.update(lines)
    with kernel_of(request).sessions.begin() as session:
        # A box that is not ticked is not posted; a read-only (disabled) one neither.
        locked = (page.records.readonly_now(page.records.get(session, record_id))
                  if record_id is not None else set())
        for field in page.records.editable:
            if field.kind == "bool" and field.name not in locked:
                values[field.name] = field.name in data
            elif field.kind in ("bool", "choice") and field.name in locked:
                values.pop(field.name, None)
        if record_id is None:
            record = page.records.create(session, values, division_id=division)
        else:
            record = page.records.update(session, record_id, values,
                                         version=int(version) if str(version or "").isdigit() else None)
        return int(record.id)


def _invalid(request: Request, key: str, record_id: int | None, data: dict[str, Any],
             lines: dict[str, list[dict[str, Any]]], error: KehuError) -> dict[str, Any]:
    page = model_page(request, key)
    with kernel_of(request).session() as session:
        record = page.records.get(session, record_id) if record_id is not None else None
        names = _ref_names(page, session, data)
        choices = division_choices(request, page, record)
        chosen = chosen_division(choices, data.get("division_id"), session, page,
                                 data) if choices else None
        tables = _line_tables(request, page, session, record, lines, error.fields, False, chosen)
    return page_context(
        request, page=page, record=record, error=error, title=_record_title(page, record),
        division_choices=choices, division=chosen, editing=True,
        offers=record_offers(page, record) if record is not None else Offers(True, False),
        sections=_widgets(request, page, data, names, error.fields, _readonly(page, record),
                          record_division(record, chosen), bool(choices)),
        line_tables=tables,
    )


async def save_form(request: Request) -> Response:
    """POST /m/<key>/new or /m/<key>/<id>: validate and save, or show the errors."""
    key = request.path_params["key"]
    raw_id = request.path_params.get("record_id")
    record_id = int(raw_id) if raw_id is not None else None
    form = await request.form()
    page = await run_in_threadpool(model_page, request, key)
    lines = posted_lines(page, form)
    data: dict[str, Any] = {k: str(v) for k, v in form.items()
                            if k != "csrf_token" and "." not in k}
    for name in _many_names(request, key):
        data[name] = [str(v) for v in form.getlist(name)]
    try:
        saved = await run_in_threadpool(_save, request, key, record_id, dict(data), lines)
    except KehuError as error:
        context = await run_in_threadpool(_invalid, request, key, record_id, data, lines, error)
        return render(request, "form.html", status_code=error.status, **context)
    message = _("Saved.") if record_id is not None else _("{model} created.").format(
        model=page.label)
    return flash(request, RedirectResponse(f"/m/{key}/{saved}", status_code=303), message)


def _delete(request: Request, key: str, record_id: int, version: str) -> None:
    page = model_page(request, key)
    with kernel_of(request).sessions.begin() as session:
        page.records.delete(session, record_id, version=int(version) if version.isdigit() else None)


async def delete_record(request: Request) -> Response:
    """POST /m/<key>/<id>/delete."""
    key = request.path_params["key"]
    record_id = int(request.path_params["record_id"])
    form = await request.form()
    try:
        await run_in_threadpool(_delete, request, key, record_id, str(form.get("version", "")))
    except KehuError as error:
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Not deleted"), message=error.message,
                                     back=f"/m/{key}/{record_id}"))
    return flash(request, RedirectResponse(f"/m/{key}", status_code=303), _("Deleted."))
