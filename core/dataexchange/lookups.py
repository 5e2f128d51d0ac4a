"""Reference columns: a cell names a record by its code, its name or its id.

Each distinct value of a file is resolved once, with one query per reference
field (per few thousand distinct values), as the acting user: the ORM's record
rules leave out what they may not see.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.dataexchange.columns import key_column
from core.fields import FieldInfo, display_name_column, model_label
from core.i18n import _

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

    def resolve(self, value: str) -> tuple[int | None, str | None]:
        """(id, None) for a known value, (None, message) for an unknown or ambiguous one."""
        if value in self.found:
            return self.found[value], None
        return None, self.problems.get(value, _("No such record, or you may not see it."))


def _statement(target: Any, values: list[str], division_id: int | None) -> sa.Select[Any]:
    key = key_column(target)
    name = display_name_column(target)
    columns = [target.id, key if key is not None else sa.null(), name]
    conditions = [name.in_(values)] if name.key != "id" else []
    if key is not None:
        conditions.append(key.in_(values))
    numbers = [int(value) for value in values if value.isdigit() and len(value) < 19]
    if numbers:
        conditions.append(target.id.in_(numbers))
    statement = sa.select(*columns).where(sa.or_(*conditions))
    division = getattr(target, "division_id", None)
    if division is not None and division_id is not None:
        # A reference stays inside the division the rows are imported into.
        statement = statement.where(sa.or_(division == division_id, division.is_(None)))
    return statement


def _match(lookup: Lookup, values: list[str], rows: Iterable[Any]) -> None:
    by_key: dict[str, set[int]] = defaultdict(set)
    by_name: dict[str, set[int]] = defaultdict(set)
    ids: set[int] = set()
    for record_id, key, name in rows:
        ids.add(record_id)
        if key is not None:
            by_key[str(key)].add(record_id)
        by_name[str(name)].add(record_id)
    target = model_label(lookup.field.target) if lookup.field.target else ""
    for value in values:
        hits = by_key.get(value) or by_name.get(value) or set()
        if not hits and value.isdigit() and int(value) in ids:
            hits = {int(value)}
        if len(hits) == 1:
            lookup.found[value] = hits.pop()
        elif hits:
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
