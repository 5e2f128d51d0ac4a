"""View declarations: what lists, forms, kanban boards and reports show.

Addons return these from `kehu_register_views`; the kernel renders pages,
generates forms and the REST API, import templates and exports from them.
Fields are model attributes (`Customer.level`), never strings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.addons import AddonError
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
    # Shown only when true for the record: the same rule as the linked page's (#19).
    visible: Callable[[Any], bool] | None = None


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
class ViewExtension:
    """Fields one addon adds to another addon's form or list, after an anchor field."""

    model: type
    after: Any
    add: Sequence[Any]
    # The kind of view extended: ListView or FormView.
    kind: type[ListView] | type[FormView] = FormView


View = ListView | FormView | KanbanView | ViewExtension | RecordAction | RelatedList


class ViewError(AddonError):
    """Views that cannot be put together: the message names the addon."""


def extend_view(view: ListView | FormView, *, after: Any, add: Sequence[Any]) -> ViewExtension:
    """Declare fields to show after `after` on `view` (Odoo's view inheritance).

    Only that view changes (extend the list and the form separately). The
    anchor must be one of the view's fields (a form's fields inside sections
    count): start-up stops with an error naming the addon otherwise.
    """
    return ViewExtension(model=view.model, after=after, add=tuple(add), kind=type(view))


@dataclass
class ModelViews:
    """The views declared for one model, with extensions applied."""

    model: type
    addon: str
    listing: ListView | None = None
    form: FormView | None = None
    kanban: KanbanView | None = None
    actions: list[RecordAction] = field(default_factory=list)
    # Tabs on this model's form, with the addon that contributed each.
    related: list[tuple[str, RelatedList]] = field(default_factory=list)

    def action(self, key: str) -> RecordAction | None:
        """The record action named `key`, if declared."""
        return next((action for action in self.actions if action.key == key), None)


def _same_field(item: Any, anchor: Any) -> bool:
    return item is anchor or (getattr(item, "key", None) == getattr(anchor, "key", object())
                               and getattr(item, "class_", None) is getattr(anchor, "class_", None))


def _insert_after(items: Sequence[Any], anchor: Any, added: Sequence[Any]) -> list[Any] | None:
    """`items` with `added` after `anchor` (inside its section), or None without the anchor."""
    result: list[Any] = []
    placed = False
    for item in items:
        if isinstance(item, Section) and not placed:
            inner = _insert_after(item.fields, anchor, added)
            placed = inner is not None
            result.append(Section(item.label, inner if inner is not None else item.fields))
            continue
        result.append(item)
        if not placed and _same_field(item, anchor):
            result.extend(added)
            placed = True
    return result if placed else None


def _name(attribute: Any) -> str:
    owner = getattr(getattr(attribute, "class_", None), "__name__", "?")
    return f"{owner}.{getattr(attribute, 'key', attribute)}"


def _extend(entry: ModelViews, addon: str, extension: ViewExtension) -> None:
    """Apply one addon's extension to the list or form it names, or refuse it."""
    kind = "list" if extension.kind is ListView else "form"
    view = entry.listing if extension.kind is ListView else entry.form
    if view is None:
        raise ViewError(f"addon '{addon}' extends the {kind} of {extension.model.__name__}, "
                        "which has none")
    items = view.columns if isinstance(view, ListView) else view.fields
    extended = _insert_after(items, extension.after, extension.add)
    if extended is None and isinstance(view, FormView):
        lines = _extend_lines(view.lines, extension)
        if lines is not None:
            entry.form = dataclasses.replace(view, lines=lines)
            return
    if extended is None:
        raise ViewError(f"addon '{addon}' adds fields after {_name(extension.after)}, which the "
                        f"{kind} of {extension.model.__name__} does not show")
    if isinstance(view, ListView):
        entry.listing = dataclasses.replace(view, columns=tuple(extended))
    else:
        entry.form = dataclasses.replace(view, fields=extended)


def _extend_lines(lines: Sequence[Lines], extension: ViewExtension) -> list[Lines] | None:
    """The form's inline lines with `extension` after its anchor among one's columns (a
    bridge adding a column to claim lines), or None when no lines show the anchor."""
    for index, child in enumerate(lines):
        columns = _insert_after(child.columns, extension.after, extension.add)
        if columns is not None:
            result = list(lines)
            result[index] = dataclasses.replace(child, columns=tuple(columns))
            return result
    return None


_SLOTS = {ListView: "listing", FormView: "form", KanbanView: "kanban"}


def _place(entry: ModelViews, addon: str, view: Any, declared_by: dict[tuple[type, str], str]) -> None:
    """Put a list, form, kanban or action on its model; a second one is refused."""
    if isinstance(view, RecordAction):
        if entry.action(view.key) is not None:
            raise ViewError(f"addon '{addon}' declares the action '{view.key}' of "
                            f"{view.model.__name__} again")
        entry.actions.append(view)
        return
    slot = _SLOTS.get(type(view))
    if slot is None:
        raise ViewError(f"addon '{addon}' returned {view!r}, which is not a view")
    first = declared_by.setdefault((view.model, slot), addon)
    if getattr(entry, slot) is not None:
        raise ViewError(f"addon '{addon}' declares a second {type(view).__name__} for "
                        f"{view.model.__name__} (addon '{first}' declared one); extend it "
                        "with extend_view instead")
    if isinstance(view, FormView):  # start-up adds locked states: on a copy
        view = dataclasses.replace(view, readonly_in={
            state: tuple(fields) for state, fields in view.readonly_in.items()})
    setattr(entry, slot, view)


def collect_views(contributions: Sequence[tuple[str, Any]], owners: dict[type, str]) -> dict[type, ModelViews]:
    """Group the views addons declared by model and apply extensions (copies: the
    declarations are not changed). Raises ViewError naming the addon for a second
    list, form or kanban of one model, an action declared twice, or an extension
    whose anchor the view does not show."""
    views: dict[type, ModelViews] = {}
    extensions: list[tuple[str, ViewExtension]] = []
    related: list[tuple[str, RelatedList]] = []
    declared_by: dict[tuple[type, str], str] = {}
    for addon, view in contributions:
        if isinstance(view, ViewExtension):
            extensions.append((addon, view))
        elif isinstance(view, RelatedList):
            related.append((addon, view))
        else:
            model = getattr(view, "model", None)
            if not isinstance(model, type):
                raise ViewError(f"addon '{addon}' returned {view!r}, which is not a view")
            if model not in owners and not model.__module__.startswith("core."):
                # An addon model mapped in this process by another kernel, its addon not
                # installed here: the kernel's actions for every lookup or shareable
                # model must not give it pages or an API (its table may not exist).
                continue
            entry = views.setdefault(model, ModelViews(model, owners.get(model, addon)))
            _place(entry, addon, view, declared_by)
    tables = {getattr(model, "__tablename__", None): model for model in owners}
    for addon, tab in related:
        parent = tables.get(tab.parent) if isinstance(tab.parent, str) else tab.parent
        if parent is None:
            continue  # the parent's addon is not installed
        entry = views.setdefault(parent, ModelViews(parent, owners.get(parent, "core")))
        entry.related.append((addon, tab))
    for addon, extension in extensions:
        extended = views.get(extension.model)
        if extended is None:
            raise ViewError(f"addon '{addon}' extends the views of {extension.model.__name__}, "
                            "which has none")
        _extend(extended, addon, extension)
    return views
