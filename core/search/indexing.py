"""Keeping `kehu_search_token` up to date: on every flush, after bulk imports, and a backfill.

Tokens are written on the session's connection in the flush's transaction
(one executemany per model), so they commit or roll back with the record.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from core.search import Searchable
from core.search.models import SearchToken
from core.search.tokens import tokens_of

log = logging.getLogger(__name__)

TOKENS = cast(sa.Table, SearchToken.__table__)
CHUNK = 2000


def searchables(registry: Any) -> dict[type, Searchable]:
    """Model → its Searchable, from every installed addon (collected once per registry)."""
    if registry is None:
        return {}
    found: dict[type, Searchable] | None = getattr(registry, "_kehu_searchables", None)
    if found is None:
        found = {item.model: item for _addon, item in registry.collect("kehu_register_searchables")}
        registry._kehu_searchables = found  # kept with the registry it came from
    return found


def _of_session(session: Session) -> dict[type, Searchable]:
    """The searchable models of the session's kernel (none outside a kernel)."""
    from core.runtime import kernel_of

    kernel = kernel_of(session)
    return searchables(kernel.registry if kernel is not None else None)


def _keys(searchable: Searchable) -> list[str]:
    return [field.key for field in searchable.fields]


Row = tuple[str, int, str]  # model, res_id, token


def _rows(model: str, res_id: int, values: Iterable[Any]) -> list[Row]:
    return [(model, res_id, token) for token in tokens_of(values)]


def _by_token(row: Row) -> tuple[str, str]:
    return row[0], row[2]


def _write(connection: sa.Connection, rows: list[Row]) -> None:
    """Insert token rows in the connection's transaction: COPY on PostgreSQL (one
    statement per row through executemany made a 10,000-customer import send 460,000
    of them), one executemany of plain tuples on SQLite (a loop in C; the ORM's
    insert with a dict per row cost 3× more than SQLite's own work, #22).

    Rows go in token order: the (model, token) index then takes them in order
    instead of at random places (a quarter less time for an import's tokens).
    """
    if not rows:
        return
    rows.sort(key=_by_token)
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(
            f"INSERT INTO {TOKENS.name} (model, res_id, token) VALUES (?, ?, ?)", rows)
        return
    driver = connection.connection.driver_connection
    statement = f"COPY {TOKENS.name} (model, res_id, token) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def _changed(record: Any, keys: list[str]) -> bool:
    return any(get_history(record, key).has_changes() for key in keys)


@sa.event.listens_for(Session, "after_flush")
def _index_flushed(session: Session, _context: Any) -> None:
    """Replace the tokens of the searchable records this flush wrote or deleted."""
    known = _of_session(session)
    if not known:
        return
    stale: dict[str, list[int]] = defaultdict(list)
    fresh: list[Row] = []
    for record in session.new | session.dirty:
        searchable = known.get(type(record))
        if searchable is None:
            continue
        keys = _keys(searchable)
        if record in session.dirty and not _changed(record, keys):
            continue
        table = record.__tablename__
        if record in session.dirty:
            stale[table].append(record.id)
        fresh += _rows(table, record.id, (getattr(record, key) for key in keys))
    for record in session.deleted:
        if type(record) in known:
            stale[record.__tablename__].append(record.id)
    connection = session.connection()
    for table, ids in stale.items():
        connection.execute(sa.delete(TOKENS).where(TOKENS.c.model == table, TOKENS.c.res_id.in_(ids)))
    _write(connection, fresh)


def index_where(session: Session, searchable: Searchable, condition: Any, *,
                replace: bool = True) -> int:
    """(Re)write the tokens of the rows of `searchable.model` matching `condition`, in chunks.

    For rows written in bulk (imports) or before the model was searchable.
    `replace=False` for rows that cannot have tokens yet (just inserted, or chosen
    for having none): no DELETE per chunk. On PostgreSQL that DELETE, planned on
    the statistics of a table a long import keeps filling in one transaction, read
    the whole token table per chunk (a 100,000-row import took 12 minutes).
    Returns how many rows were indexed.
    """
    model: Any = searchable.model
    keys = _keys(searchable)
    columns = [model.__table__.c[key] for key in keys]
    table = model.__tablename__
    connection = session.connection()
    done, last = 0, 0
    while True:
        rows = connection.execute(
            sa.select(model.__table__.c.id, *columns).where(condition, model.__table__.c.id > last)
            .order_by(model.__table__.c.id).limit(CHUNK)).all()
        if not rows:
            return done
        ids = [row[0] for row in rows]
        if replace:
            connection.execute(sa.delete(TOKENS).where(TOKENS.c.model == table,
                                                       TOKENS.c.res_id.in_(ids)))
        _write(connection, [token for row in rows for token in _rows(table, row[0], row[1:])])
        done += len(rows)
        last = ids[-1]


def backfill(session: Session, items: Iterable[Searchable]) -> int:
    """Index the rows of the searchable models that have no token yet (install, upgrade)."""
    total = 0
    for item in items:
        model: Any = item.model
        # SELECT res_id, not *: SQLite then probes (model, res_id) per row; with * it
        # preferred the covering (model, token, res_id) index and read every token of
        # the model for each row (a 5,000-customer backfill took 13 minutes).
        has_tokens = sa.select(TOKENS.c.res_id).where(
            TOKENS.c.model == model.__tablename__,
            TOKENS.c.res_id == model.__table__.c.id).exists()
        total += index_where(session, item, ~has_tokens, replace=False)
    return total


def backfill_addon(session: Session, registry: Any, addon: str) -> int:
    """Index the rows of the searchable models `addon` declares (kehu_on_installed)."""
    items = [item for name, item in registry.collect("kehu_register_searchables")
             if name == addon]
    if not items:
        return 0
    count = backfill(session, items)
    log.info("search: indexed %d rows of %s", count, addon)
    return count


def backfill_all(session: Session, registry: Any) -> int:
    """Index every searchable model's rows that have no token yet (after demo data or a bulk load)."""
    return backfill(session, searchables(registry).values())
