"""Reference columns: a cell names a record by its code, its name or its id.

Each distinct value of a file is resolved once, with one query per reference
field (per few thousand distinct values), as the acting user: the ORM's record
rules leave out what they may not see.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.dataexchange.columns import key_column
from core.fields import FieldInfo, display_name_column, model_label
from core.i18n import _
from core.lookups import references_of, usable_in

# Distinct values per query: three IN lists of this size stay under every
# database's limit of bound parameters.
BATCH = 3_000


@contextlib.contextmanager
def unprepared(session: Session) -> Iterator[None]:
    """Run the enclosed queries without psycopg's automatic prepared statements.

    A query with a 1,000-value IN list runs once per chunk; after five runs
    psycopg prepares it and PostgreSQL may switch to a generic plan, which
    searches the list linearly for every row of the growing table: the
    100k-row import became quadratic (400 rows/s) until this (#5).
    """
    dbapi = session.connection().connection.dbapi_connection
    if dbapi is None or not hasattr(dbapi, "prepare_threshold"):
        yield
        return
    saved = dbapi.prepare_threshold
    dbapi.prepare_threshold = None
    try:
        yield
    finally:
        dbapi.prepare_threshold = saved


@dataclasses.dataclass
class Lookup:
    """What the values of one reference column stand for."""

    field: FieldInfo
    found: dict[str, int] = dataclasses.field(default_factory=dict)
    problems: dict[str, str] = dataclasses.field(default_factory=dict)  # value → message
    # A name several records share: each one's parents ({SalesMode: 3}), for the row
    # to choose by (a stage's name within the row's sales mode, #14).
    candidates: dict[str, dict[int, dict[type, int]]] = dataclasses.field(default_factory=dict)

    def resolve(self, value: str, context: dict[type, int] | None = None
                ) -> tuple[int | None, str | None]:
        """(id, None) for a known value, (None, message) for an unknown or ambiguous one.
        `context` ({SalesMode: 3}: the row's other references) settles a shared name."""
        if value in self.found:
            return self.found[value], None
        if context and value in self.candidates:
            fitting = [record_id for record_id, parents in self.candidates[value].items()
                       if parents and all(context.get(model) == parent
                                          for model, parent in parents.items() if model in context)
                       and any(model in context for model in parents)]
            if len(fitting) == 1:
                return fitting[0], None
        return None, self.problems.get(value, _("No such record, or you may not see it."))


def _parents(target: Any) -> list[tuple[Any, type]]:
    """The many-to-one columns of `target` that may settle a shared name, with their models."""
    return [(getattr(target, key), model) for key, model in references_of(target)]


def _statement(target: Any, values: list[str], division_id: int | None) -> sa.Select[Any]:
    key = key_column(target)
    name = display_name_column(target)
    division = getattr(target, "division_id", None)
    columns = [target.id, key if key is not None else sa.null(), name,
               division if division is not None else sa.null(),
               *[column for column, _model in _parents(target)]]
    conditions = [name.in_(values)] if name.key != "id" else []
    short = getattr(target, "name", None)
    if short is not None and name.key not in ("id", "name") and hasattr(short, "property"):
        # A stage by its own name ("商务谈判"), not only "SI 供货 · 05 商务谈判" (#14).
        columns.append(short)
        conditions.append(short.in_(values))
    if key is not None:
        conditions.append(key.in_(values))
    numbers = [int(value) for value in values if value.isdigit() and len(value) < 19]
    if numbers:
        conditions.append(target.id.in_(numbers))
    statement = sa.select(*columns).where(sa.or_(*conditions))
    if division is not None and division_id is not None:
        # A reference stays inside the division the rows are imported into: its own
        # entries and the company-wide ones it does not hide (#14).
        statement = statement.where(usable_in(target, division_id))
    return statement


def _own_first(hits: set[int], divisions: dict[int, Any]) -> set[int]:
    """Of a division's own entry and a company-wide one of the same name, the own one."""
    own = {hit for hit in hits if divisions.get(hit) is not None}
    return own if own and len(own) < len(hits) else hits


def _match(lookup: Lookup, values: list[str], rows: Iterable[Any]) -> None:
    by_key: dict[str, set[int]] = defaultdict(set)
    by_name: dict[str, set[int]] = defaultdict(set)
    ids: set[int] = set()
    divisions: dict[int, Any] = {}
    parents: dict[int, dict[type, int]] = {}
    models = [model for _column, model in _parents(lookup.field.target)]
    for row in rows:
        record_id, key, name, division = row[0], row[1], row[2], row[3]
        ids.add(record_id)
        divisions[record_id] = division
        parent_ids = row[4:4 + len(models)]
        parents[record_id] = {model: value for model, value in zip(models, parent_ids, strict=True)
                              if value is not None}
        if key is not None:
            by_key[str(key)].add(record_id)
        by_name[str(name)].add(record_id)
        if len(row) > 4 + len(models):
            by_name[str(row[4 + len(models)])].add(record_id)
    target = model_label(lookup.field.target) if lookup.field.target else ""
    for value in values:
        hits = _own_first(by_key.get(value) or by_name.get(value) or set(), divisions)
        if not hits and value.isdigit() and int(value) in ids:
            hits = {int(value)}
        if len(hits) == 1:
            lookup.found[value] = hits.pop()
        elif hits:
            lookup.candidates[value] = {hit: parents.get(hit, {}) for hit in hits}
            lookup.problems[value] = _("Several {target} records match this name: use the code.") \
                .format(target=target)
        else:
            lookup.problems[value] = _("No {target} with this code or name, or you may not see it.") \
                .format(target=target)


def resolve(session: Session, field: FieldInfo, values: set[str], *,
            division_id: int | None) -> Lookup:
    """The record each of `values` names in `field`'s target (visible records only)."""
    lookup = Lookup(field)
    ordered = sorted(values)
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start:start + BATCH]
        with unprepared(session):
            rows = session.execute(_statement(field.target, batch, division_id)).all()
        _match(lookup, batch, rows)
    return lookup
