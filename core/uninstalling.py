"""What an uninstall leaves behind: nothing about the dropped records, and their ids (#13).

The kernel keeps rows about any record by its model key and id (chatter notes
and activities, tracked changes, attachments, followers, notifications,
search tokens, sharing, recent records, transition history, approval rounds).
When an addon's tables are dropped, those rows are deleted in the same
transaction, with whatever hangs under them (an approval round's steps and
approvers, a notification's deliveries), so a record made after a reinstall
inherits nothing.

Ids are never given twice: the highest id each dropped table handed out is
kept in `kehu_retired_table`, and a table of that name created again (the
addon reinstalled) continues after it. SQLite tables are created with
AUTOINCREMENT (core.db) so a deleted last row's id is not reused either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.orm import Base, utcnow

# Kernel tables that point at a record by (model, <column>) without a foreign key.
GENERIC_KEYS = ("res_id", "entry_id")


class RetiredTable(Base):
    """The last id a dropped table gave out: a table created again continues after it."""

    __tablename__ = "kehu_retired_table"

    name: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    last_id: Mapped[int] = mapped_column(sa.BigInteger)
    retired_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def last_ids(connection: sa.Connection, tables: Iterable[str]) -> dict[str, int]:
    """The highest id each of `tables` has handed out (counting deleted rows where the
    database remembers them: SQLite's AUTOINCREMENT counter, PostgreSQL's sequence)."""
    existing = set(sa.inspect(connection).get_table_names())
    found: dict[str, int] = {}
    for name in sorted(set(tables) & existing):
        table = sa.table(name, sa.column("id"))
        top = int(connection.scalar(sa.select(sa.func.max(table.c.id))) or 0)
        found[name] = max(top, _counter(connection, name))
    return found


def _counter(connection: sa.Connection, name: str) -> int:
    if connection.dialect.name == "postgresql":
        value = connection.scalar(sa.text(
            "SELECT pg_sequence_last_value(pg_get_serial_sequence(:t, 'id')::regclass)"),
            {"t": name}) if _has_sequence(connection, name) else None
        return int(value or 0)
    if not _has_sqlite_sequence(connection):
        return 0
    value = connection.scalar(sa.text("SELECT seq FROM sqlite_sequence WHERE name = :t"),
                              {"t": name})
    return int(value or 0)


def _has_sqlite_sequence(connection: sa.Connection) -> bool:
    """Whether SQLite's AUTOINCREMENT counters exist (the inspector does not list them)."""
    found = connection.scalar(sa.text(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"))
    return bool(found)


def _has_sequence(connection: sa.Connection, name: str) -> bool:
    return connection.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"),
                             {"t": name}) is not None


def retire(session: Session, ids: dict[str, int]) -> None:
    """Remember the last ids of tables about to be dropped."""
    for name, last_id in ids.items():
        row = session.get(RetiredTable, name)
        if row is None:
            session.add(RetiredTable(name=name, last_id=last_id))
        else:
            row.last_id, row.retired_at = max(row.last_id, last_id), utcnow()
    session.flush()


def continue_ids(session: Session) -> None:
    """Tables created again continue after the last id they gave before they were dropped."""
    connection = session.connection()
    existing = set(sa.inspect(connection).get_table_names())
    for row in list(session.scalars(sa.select(RetiredTable))):
        if row.name not in existing:
            continue
        floor = max(row.last_id, last_ids(connection, [row.name]).get(row.name, 0))
        if connection.dialect.name == "postgresql":
            if _has_sequence(connection, row.name):
                connection.execute(sa.text(
                    "SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                    {"t": row.name, "v": floor})
        elif floor > 0:
            _sqlite_counter(connection, row.name, floor)
        session.delete(row)
    session.flush()


def _sqlite_counter(connection: sa.Connection, name: str, floor: int) -> None:
    """Set an AUTOINCREMENT table's counter (sqlite_sequence exists once one such table does)."""
    if not _has_sqlite_sequence(connection):
        return
    updated = connection.execute(sa.text(
        "UPDATE sqlite_sequence SET seq = :v WHERE name = :t AND seq < :v"),
        {"t": name, "v": floor})
    if updated.rowcount == 0 and connection.scalar(sa.text(
            "SELECT count(*) FROM sqlite_sequence WHERE name = :t"), {"t": name}) == 0:
        connection.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)"),
                           {"t": name, "v": floor})


def forget_records(connection: sa.Connection, models: set[str]) -> list[str]:
    """Delete every kernel row that points at a record (or the document type) of the
    dropped tables `models`; returns the attachment files to remove after the commit."""
    if not models:
        return []
    inspector = sa.inspect(connection)
    metadata = sa.MetaData()
    files: list[str] = []
    for name in inspector.get_table_names():
        if name in models:
            continue
        columns = {column["name"] for column in inspector.get_columns(name)}
        if "model" not in columns:
            continue
        if not (columns & set(GENERIC_KEYS)) and name != "kehu_approval_chain":
            continue
        table = sa.Table(name, metadata, autoload_with=connection)
        condition = table.c.model.in_(sorted(models))
        if "storage_name" in columns:
            files += connection.scalars(sa.select(table.c.storage_name).where(condition))
        _delete(connection, inspector, metadata, table, condition)
    return files


def _delete(connection: sa.Connection, inspector: Any, metadata: sa.MetaData,
            table: sa.Table, condition: sa.ColumnElement[bool]) -> None:
    """Delete the rows, first what hangs under them by foreign key: SQLite's foreign keys
    are off during an uninstall, so ON DELETE CASCADE / SET NULL are done here."""
    if "id" in table.c:
        doomed = sa.select(table.c.id).where(condition).scalar_subquery()
        for child_name in inspector.get_table_names():
            for fk in inspector.get_foreign_keys(child_name):
                if (child_name == table.name or fk["referred_table"] != table.name
                        or fk["referred_columns"] != ["id"]
                        or len(fk["constrained_columns"]) != 1):
                    continue
                child = sa.Table(child_name, metadata, autoload_with=connection)
                column = child.c[fk["constrained_columns"][0]]
                if (fk.get("options") or {}).get("ondelete", "").upper() == "SET NULL":
                    connection.execute(child.update().where(column.in_(doomed))
                                       .values({column.name: None}))
                else:
                    _delete(connection, inspector, metadata, child, column.in_(doomed))
    connection.execute(table.delete().where(condition))


def remove_files(root: Path, names: Iterable[str]) -> None:
    """Remove the stored files of deleted attachments (after the commit)."""
    for name in names:
        (root / name).unlink(missing_ok=True)
