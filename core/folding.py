"""Folding per-division copies of lookup entries into one company-wide entry (#14).

Before #14 every division got its own copy of each lookup list, so a group with
three divisions had 医疗机构 three times. An addon's migration calls
`fold_lookup_tables` for its lookup tables: the column `division_id` becomes
nullable, and each set of identical copies (every column equal but the id, the
division and the stamps) held by two or more divisions becomes one company-wide
entry. Every foreign key that points at a folded copy (found by reflecting the
database, so other addons' tables too) and every chatter, change log or
attachment of it (`model`, `res_id`) is repointed at the kept entry; a division
that had no copy hides the company-wide entry, so no division's pickers gain an
entry. Nothing else changes: every record keeps its meaning, every report total
stays the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic.operations import Operations

# Columns that do not make two copies different.
_STAMPS = frozenset({"id", "division_id", "create_uid", "create_date", "write_uid",
                     "write_date", "version"})
_CHUNK = 500


def fold_lookup_tables(op: Operations, tables: Sequence[str]) -> dict[str, int]:
    """Make `tables`' division nullable and fold their identical copies, in order
    (a table whose rows reference another's, stages → sales modes, comes after it).
    Returns how many copies were folded away per table."""
    for table in tables:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("division_id", existing_type=sa.Integer(), nullable=True)
    connection = op.get_bind()
    folded = {}
    for table in tables:
        total = 0
        while True:  # a tree (categories) folds level by level
            count = fold_table(connection, table)
            total += count
            if not count:
                break
        folded[table] = total
    return folded


def _groups(connection: sa.Connection, table: sa.Table) -> list[list[Any]]:
    """Rows of `table` as (id, division_id) lists, grouped by their other values."""
    data = [c for c in table.c if c.name not in _STAMPS]
    found: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    query = sa.select(table.c.id, table.c.division_id, *data).order_by(table.c.id)
    for row in connection.execute(query):
        found[tuple(row[2:])].append((row[0], row[1]))
    return [rows for rows in found.values() if len({division for _id, division in rows}) > 1
            or sum(1 for _id, division in rows if division is None) > 1]


def fold_table(connection: sa.Connection, name: str) -> int:
    """One pass over `name`: fold each set of identical copies; return how many went."""
    metadata = sa.MetaData()
    table = sa.Table(name, metadata, autoload_with=connection)
    divisions = [row[0] for row in connection.execute(sa.text("SELECT id FROM kehu_division"))]
    mapping: dict[int, int] = {}
    hidden = []
    for rows in _groups(connection, table):
        shared = [entry for entry, division in rows if division is None]
        keep = shared[0] if shared else rows[0][0]
        having = {division for _entry, division in rows}
        if not shared:
            connection.execute(table.update().where(table.c.id == keep).values(division_id=None))
            hidden += [{"division_id": d, "model": name, "entry_id": keep}
                       for d in divisions if d not in having]
        mapping.update({entry: keep for entry, _division in rows if entry != keep})
    if not mapping:
        return 0
    _repoint(connection, name, mapping)
    old = sorted(mapping)
    for start in range(0, len(old), _CHUNK):
        connection.execute(table.delete().where(table.c.id.in_(old[start:start + _CHUNK])))
    if hidden:
        connection.execute(sa.text(
            "INSERT INTO kehu_lookup_hidden (division_id, model, entry_id, create_date) "
            "VALUES (:division_id, :model, :entry_id, CURRENT_TIMESTAMP)"), hidden)
    return len(mapping)


def _repoint(connection: sa.Connection, name: str, mapping: dict[int, int]) -> None:
    """Point every reference to an old id of table `name` at the kept entry."""
    inspector = sa.inspect(connection)
    metadata = sa.MetaData()
    for other in inspector.get_table_names():
        columns = {c["name"] for c in inspector.get_columns(other)}
        targets = [fk["constrained_columns"][0] for fk in inspector.get_foreign_keys(other)
                   if fk["referred_table"] == name and fk["referred_columns"] == ["id"]
                   and len(fk["constrained_columns"]) == 1]
        generic = {"model", "res_id"} <= columns
        if not targets and not generic and other != "kehu_lookup_hidden":
            continue
        table = sa.Table(other, metadata, autoload_with=connection)
        for column in targets:
            _update(connection, table, table.c[column], mapping)
        if generic:
            _update(connection, table, table.c.res_id, mapping, table.c.model == name)
        if other == "kehu_lookup_hidden":
            _update(connection, table, table.c.entry_id, mapping, table.c.model == name)


def _update(connection: sa.Connection, table: sa.Table, column: sa.Column[Any],
            mapping: dict[int, int], *where: sa.ColumnElement[bool]) -> None:
    old = sorted(mapping)
    for start in range(0, len(old), _CHUNK):
        chunk = old[start:start + _CHUNK]
        new_value = sa.case({entry: mapping[entry] for entry in chunk}, value=column)
        connection.execute(table.update().where(column.in_(chunk), *where)
                           .values({column.name: new_value}))
