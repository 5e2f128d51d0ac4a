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


View = ListView | FormView | KanbanView | GroupedView | ViewExtension


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
    for addon, view in contributions:
        if isinstance(view, ViewExtension):
            extensions.append(view)
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
