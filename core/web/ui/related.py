"""Tabs of child records on a form (`core.views.RelatedList`): the customer 360 page.

A tab shows only when the child's addon is enabled for the user's division and
the user may read the child model; its rows are read through the record rules,
one query per tab plus one per reference column, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import current_actor
from core.fields import FieldInfo, field_info
from core.kernel import Kernel
from core.views import RelatedList
from core.web.ui.display import show


@dataclass
class RelatedTab:
    """One tab as the template draws it."""

    key: str  # an anchor for the tab
    label: str
    columns: list[FieldInfo]
    rows: list[tuple[int, list[str]]]  # (child id, shown cells)
    more: bool  # more rows than shown
    child_key: str  # the child's /m/<key>
    list_url: str  # the child list filtered on this record
    new_url: str | None  # a new child with this record filled in (when allowed)


def related_tabs(kernel: Kernel, session: Session, model: type, record: Any) -> list[RelatedTab]:
    """The tabs of `record`'s form that the current user may see."""
    views = kernel.views.get(model)
    actor = current_actor()
    enabled = kernel.registry.enabled_for(actor.division_id)
    tabs = []
    for addon, tab in views.related if views is not None else ():
        child = tab.key.class_
        if addon != "core" and addon not in enabled and not actor.system:
            continue  # the contributing addon is off in the user's division
        if not kernel.policy.allowed(actor, child, "read"):
            continue  # the child's addon is off, or the user has no right: no tab at all
        tabs.append(_tab(kernel, session, tab, child, record))
    return tabs


def _tab(kernel: Kernel, session: Session, tab: RelatedList, child: type, record: Any) -> RelatedTab:
    fk = field_info(tab.key).name
    records = kernel.records.get(child)
    columns = [field_info(column) for column in tab.columns]
    order = [getattr(attr, "desc" if descending else "asc")() for attr, descending in tab.order]
    statement: sa.Select[Any] = (sa.select(child).where(tab.key == record.id)
                 .order_by(*order, child.id.desc())  # type: ignore[attr-defined]
                 .limit(tab.limit + 1))
    found = list(session.scalars(statement))
    shown, more = found[: tab.limit], len(found) > tab.limit
    names = records.references(session, shown, columns) if records is not None else {}
    rows = [(int(row.id), [show(f, getattr(row, f.name), names.get(f.name)) for f in columns])
            for row in shown]
    child_key = child.__tablename__  # type: ignore[attr-defined]
    can_create = kernel.policy.allowed(current_actor(), child, "create")
    return RelatedTab(
        key=f"tab-{child_key}-{fk}", label=str(tab.label), columns=columns, rows=rows, more=more,
        child_key=child_key, list_url=f"/m/{child_key}?" + urlencode({fk: record.id}),
        new_url=f"/m/{child_key}/new?" + urlencode({fk: record.id})
        if can_create and child_key in kernel.model_keys else None,
    )
