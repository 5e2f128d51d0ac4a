"""View declarations: what lists, forms, kanban boards and reports show.

Addons return these from `kehu_register_views`; the kernel renders pages,
generates forms and the REST API, import templates and exports from them.
Fields are model attributes (`Customer.level`), never strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import Actor
from core.i18n import LazyText


@dataclass(frozen=True)
class Filter:
    """A named filter offered in a list's search panel ("My customers")."""

    key: str
    label: LazyText
    condition: Callable[[type, Actor], sa.ColumnElement[bool]]


@dataclass(frozen=True)
class Lines:
    """Child rows edited inline on a form (quote lines, claim lines)."""

    relationship: Any  # Parent.lines, a one-to-many relationship attribute
    columns: Sequence[Any]  # attributes of the child model
    label: LazyText | None = None


@dataclass(frozen=True)
class Param:
    """An input asked for before a record action runs ("the surviving customer")."""

    name: str
    label: LazyText
    kind: str = "text"  # text | longtext | int | decimal | date | choice | ref | bool
    target: type | None = None  # the model a "ref" param picks (a searching picker)
    choices: Sequence[tuple[str, LazyText]] = ()
    required: bool = True


@dataclass(frozen=True)
class RecordAction:
    """A button on a record's form, `POST /api/v1/<model>/<id>/actions/<key>`, and with
    `bulk=True` a bulk action on the list.

    `handler(session, record, actor, values)` runs in the request's transaction with
    the record loaded through the record rules and `values` converted per `params`;
    it raises a `core.errors.KehuError` (e.g. `ValidationError` naming a field) to
    refuse, so nothing is written, and returns a message to show, or None.
    """

    model: type
    key: str
    label: LazyText
    handler: Callable[[Session, Any, Actor, dict[str, Any]], str | None]
    params: Sequence[Param] = ()
    roles: tuple[str, ...] = ()  # empty: anyone holding `right` on the model
    right: str = "write"  # read | create | write | delete
    visible: Callable[[Any], bool] | None = None  # show the button only when true
    confirm: LazyText | None = None
    bulk: bool = False


@dataclass(frozen=True)
class RelatedList:
    """A tab on the parent's form listing the record's child rows (the customer 360 page).

    Declared by the child's addon. `parent` is a model class, or a table name when
    the parent's addon may be absent (resolved at start-up, ignored when missing).
    Shown only when the child's addon is enabled for the user's division and the
    user may read the child model; the rows pass the record rules.
    """

    parent: type | str
    key: Any  # the child's foreign key to the parent: Contact.customer_id
    columns: Sequence[Any]
    label: LazyText
    order: Sequence[tuple[Any, bool]] = ()  # (attribute, descending)
    limit: int = 20


@dataclass(frozen=True)
class Section:
    """A titled group of fields on a form."""

    label: LazyText
    fields: Sequence[Any]


@dataclass(frozen=True)
class ListView:
    """The list page of a model: columns, search, filters, grouping, default order."""

    model: type
    columns: Sequence[Any]
    search: Sequence[Any] = ()
    filters: Sequence[Filter] = ()
    group_by: Sequence[Any] = ()
    sums: Sequence[Any] = ()
    order: Sequence[tuple[Any, bool]] = ()  # (attribute, descending)
    page_size: int = 50


@dataclass(frozen=True)
class RecordLink:
    """A link shown on a record's form, to a page about it ("{id}" is replaced)."""

    label: LazyText
    url: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormView:
    """The form of a model: fields or sections, inline lines, read-only rules, links."""

    model: type
    fields: Sequence[Any]
    lines: Sequence[Lines] = ()
    # Fields that are read-only when the record's state is one of the states.
    readonly_in: dict[str, Sequence[Any]] = field(default_factory=dict)
    links: Sequence[RecordLink] = ()

    def flat_fields(self) -> list[Any]:
        """Every field of the form in order, sections unpacked."""
        result: list[Any] = []
        for item in self.fields:
            result.extend(item.fields if isinstance(item, Section) else [item])
        return result


@dataclass(frozen=True)
class KanbanView:
    """Cards in columns by a state or a stage; moving a card fires the transition."""

    model: type
    column_by: Any
    card: Sequence[Any]
    title: Any = None


@dataclass(frozen=True)
class GroupedView:
    """A pivot-like report: rows grouped by fields, with counts and sums."""

    model: type
    rows: Sequence[Any]
    measures: Sequence[Any] = ()
    key: str = "report"
    label: LazyText | None = None


@dataclass(frozen=True)
class ViewExtension:
    """Fields one addon adds to another addon's form or list, after an anchor field."""

    model: type
    after: Any
    add: Sequence[Any]


View = ListView | FormView | KanbanView | GroupedView | ViewExtension | RecordAction | RelatedList


def extend_view(view: ListView | FormView, *, after: Any, add: Sequence[Any]) -> ViewExtension:
    """Declare fields to show after `after` on `view` (Odoo's view inheritance)."""
    return ViewExtension(model=view.model, after=after, add=tuple(add))


@dataclass
class ModelViews:
    """The views declared for one model, with extensions applied."""

    model: type
    addon: str
    listing: ListView | None = None
    form: FormView | None = None
    kanban: KanbanView | None = None
    reports: list[GroupedView] = field(default_factory=list)
    actions: list[RecordAction] = field(default_factory=list)
    # Tabs on this model's form, with the addon that contributed each.
    related: list[tuple[str, RelatedList]] = field(default_factory=list)

    def action(self, key: str) -> RecordAction | None:
        """The record action named `key`, if declared."""
        return next((action for action in self.actions if action.key == key), None)


def _insert_after(items: Sequence[Any], anchor: Any, added: Sequence[Any]) -> list[Any]:
    result: list[Any] = []
    placed = False
    for item in items:
        if isinstance(item, Section):
            inner = _insert_after(item.fields, anchor, added)
            placed = placed or len(inner) != len(item.fields)
            result.append(Section(item.label, inner))
            continue
        result.append(item)
        if item is anchor or (getattr(item, "key", None) == getattr(anchor, "key", object())):
            result.extend(added)
            placed = True
    if not placed and not any(isinstance(i, Section) for i in items):
        result.extend(added)
    return result


def collect_views(contributions: Sequence[tuple[str, Any]], owners: dict[type, str]) -> dict[type, ModelViews]:
    """Group the views addons declared by model and apply extensions."""
    views: dict[type, ModelViews] = {}
    extensions: list[ViewExtension] = []
    related: list[tuple[str, RelatedList]] = []
    for addon, view in contributions:
        if isinstance(view, ViewExtension):
            extensions.append(view)
            continue
        if isinstance(view, RelatedList):
            related.append((addon, view))
            continue
        entry = views.setdefault(view.model, ModelViews(view.model, owners.get(view.model, addon)))
        if isinstance(view, ListView):
            entry.listing = view
        elif isinstance(view, FormView):
            entry.form = view
        elif isinstance(view, KanbanView):
            entry.kanban = view
        elif isinstance(view, GroupedView):
            entry.reports.append(view)
        elif isinstance(view, RecordAction):
            entry.actions.append(view)
    tables = {getattr(model, "__tablename__", None): model for model in owners}
    for addon, tab in related:
        parent = tables.get(tab.parent) if isinstance(tab.parent, str) else tab.parent
        if parent is None:
            continue  # the parent's addon is not installed
        entry = views.setdefault(parent, ModelViews(parent, owners.get(parent, "core")))
        entry.related.append((addon, tab))
    for extension in extensions:
        entry = views.get(extension.model)
        if entry is None:
            continue
        if entry.form is not None:
            entry.form = FormView(
                entry.form.model, _insert_after(entry.form.fields, extension.after, extension.add),
                entry.form.lines, entry.form.readonly_in, entry.form.links,
            )
        if entry.listing is not None:
            columns = _insert_after(entry.listing.columns, extension.after, extension.add)
            entry.listing = ListView(**{**entry.listing.__dict__, "columns": tuple(columns)})
    return views
