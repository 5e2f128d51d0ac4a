"""Records as JSON: ids, version, the fields of the views, write_date.

Dates are ISO 8601 (date-times are UTC, marked "Z"), amounts are strings
("1234.50") so no client turns them into floats, references are
`{"id", "name"}` objects. Names are read in one query per reference field for
the whole page (`Records.references`), never one per row.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.api.resources import Resource
from core.fields import FieldInfo, display_name_column, display_text
from core.records import LineSet


def when(value: dt.datetime) -> str:
    """A stored (naive UTC) date-time as ISO 8601 with "Z"."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def plain(field: FieldInfo, value: Any) -> Any:
    """A column value as JSON (references are handled by the caller)."""
    if value is None:
        return None
    if field.kind == "money":
        return f"{decimal.Decimal(value):.2f}"
    if isinstance(value, decimal.Decimal | float):
        return format(decimal.Decimal(str(value)), "f")  # never "9.7E-230"
    if isinstance(value, dt.datetime):
        return when(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _many_names(session: Session, resource: Resource, field: FieldInfo,
                ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    """For each row id, the records of a many-to-many field, in one query."""
    model, target = resource.model, field.target
    assert target is not None
    target_key: sa.Column[Any] = sa.inspect(target).primary_key[0]
    name = display_name_column(target)
    owner_key = model.id  # type: ignore[attr-defined]
    statement = (
        sa.select(owner_key, target_key, name)
        .select_from(model)
        .join(getattr(model, field.name))
        .where(owner_key.in_(ids))
        .order_by(owner_key, name)
    )
    result: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for owner, key, label in session.execute(statement):
        result[owner].append({"id": key, "name": display_text(target, label)})
    return result


def _reference(value: Any, names: dict[int, str]) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"id": value, "name": names.get(value)}


def represent(session: Session, resource: Resource, rows: Sequence[Any], *,
              lines: bool = True, names: dict[str, dict[int, str]] | None = None
              ) -> list[dict[str, Any]]:
    """The JSON objects of `rows`, with a fixed number of queries whatever their count.

    A list page leaves the inline lines out (`lines=False`): read the record for them,
    and brings the reference names it read (`names`, from `Records.list`)."""
    if not rows:
        return []
    refs = names if names is not None else resource.records.references(session, rows,
                                                                         resource.fields)
    ids = [row.id for row in rows]
    many = {
        field.name: _many_names(session, resource, field, ids)
        for field in resource.fields if field.kind == "many"
    }
    items = [_one(resource, row, refs, many) for row in rows]
    for line in resource.records.lines if lines else ():
        children = _lines(session, resource, line, ids)
        for item in items:
            item[line.name] = children.get(item["id"], [])
    return items


def _lines(session: Session, resource: Resource, line: LineSet,
           ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    """The lines of every row, in one query (and one per reference column for names)."""
    relationship = getattr(resource.model, line.name).property
    (local, remote), *_rest = relationship.local_remote_pairs
    parent_key = getattr(line.child, remote.key)
    children: list[Any] = list(session.scalars(sa.select(line.child).where(parent_key.in_(ids))
                                    .order_by(parent_key, line.child.id)))  # type: ignore[attr-defined]
    refs = resource.records.references(session, children, [f for f in line.fields
                                                           if f.kind == "ref"])
    result: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for child in children:
        item: dict[str, Any] = {"id": child.id}
        for field in line.fields:
            value = getattr(child, field.name)
            item[field.name] = (_reference(value, refs.get(field.name, {}))
                                if field.kind == "ref" else plain(field, value))
        result[getattr(child, remote.key)].append(item)
    return result


def _one(resource: Resource, row: Any, refs: dict[str, dict[int, str]],
         many: dict[str, dict[Any, list[dict[str, Any]]]]) -> dict[str, Any]:
    item: dict[str, Any] = {"id": row.id}
    if resource.versioned:
        item["version"] = row.version
    for field in resource.fields:
        if field.kind == "many":
            item[field.name] = many[field.name].get(row.id, [])
        elif field.kind == "ref":
            item[field.name] = _reference(getattr(row, field.name), refs.get(field.name, {}))
        else:
            item[field.name] = plain(field, getattr(row, field.name))
    if resource.stamped:
        item["write_date"] = when(row.write_date)
    return item
