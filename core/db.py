"""Engines and sessions for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import contextlib
import contextvars
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.schema import CreateTable

SYNCHRONOUS = ("NORMAL", "FULL")


def _sqlite_pragmas(synchronous: str, busy_timeout: int = 10000) -> Any:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A writer waits this long for another to finish before "database is locked",
        # which the web layer answers as 503 with Retry-After (#13).
        # Then the request runs again (core/web/busy.py) before that 503.
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout}")
        # NORMAL: a power cut may lose the last commits, never corrupts (docs/operations.md).
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    return apply


@compiles(CreateTable, "sqlite")
def _create_table_autoincrement(create: CreateTable, compiler: Any, **kw: Any) -> str:
    """SQLite tables with an INTEGER `id` key are made AUTOINCREMENT: without it, SQLite
    gives a deleted last row's id to the next row, which would inherit the kernel's rows
    about the old record (chatter, attachments, history) (#13). Alembic's create_table
    and batch rebuilds go through here too."""
    table = create.element
    keys = list(table.primary_key.columns)
    if (len(keys) == 1 and keys[0].name == "id" and not keys[0].foreign_keys
            and compiler.dialect.type_compiler_instance.process(keys[0].type) == "INTEGER"):
        table.dialect_options["sqlite"]["autoincrement"] = True
    return str(compiler.visit_create_table(create, **kw))


@dataclass
class WriteTracker:
    """What the transactions of one request did: whether one that wrote committed, and
    whether SQLite refused one as "database is locked" (core/web/busy.py retries)."""

    committed: bool = False
    locked: bool = False


_TRACKER: contextvars.ContextVar[WriteTracker | None] = contextvars.ContextVar(
    "kehu_write_tracker", default=None)
_READS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")
_LOCKED = ("database is locked", "database is busy", "database table is locked")


@contextlib.contextmanager
def tracking_writes() -> Iterator[WriteTracker]:
    """Track the SQLite transactions run in this context (threads it starts included)."""
    tracker = WriteTracker()
    token = _TRACKER.set(tracker)
    try:
        yield tracker
    finally:
        _TRACKER.reset(token)


def is_locked(exc: BaseException) -> bool:
    """Whether `exc` is SQLite's "database is locked" (another writer holds the database)."""
    orig = getattr(exc, "orig", None)
    return (isinstance(exc, sa.exc.OperationalError) and orig is not None
            and type(orig).__module__.startswith("sqlite3")
            and any(words in str(orig).lower() for words in _LOCKED))


def _track(engine: sa.Engine) -> None:
    """Tell the request's WriteTracker about commits that wrote and refused locks."""

    def before(conn: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip()[:9].upper().startswith(_READS):
            conn.info["kehu_wrote"] = True

    def commit(conn: sa.Connection) -> None:
        tracker = _TRACKER.get()
        if conn.info.pop("kehu_wrote", False) and tracker is not None:
            tracker.committed = True

    def rollback(conn: sa.Connection) -> None:
        conn.info.pop("kehu_wrote", None)

    def error(context: Any) -> None:
        tracker = _TRACKER.get()
        if tracker is not None and is_locked(context.sqlalchemy_exception):
            tracker.locked = True

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "commit", commit)
    sa.event.listen(engine, "rollback", rollback)
    sa.event.listen(engine, "handle_error", error)


def make_engine(url: str, **options: Any) -> sa.Engine:
    """An engine for `url`; a SQLite file gets its folder, WAL and foreign keys."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # `?synchronous=full` in the URL: every commit survives a power cut (slower).
        synchronous = str(parsed.query.get("synchronous", "normal")).upper()
        if synchronous not in SYNCHRONOUS:
            raise ValueError(f"synchronous={synchronous.lower()}: use normal or full")
        # `?busy_timeout=<ms>`: how long a writer waits for another (10 s by default).
        busy_timeout = int(str(parsed.query.get("busy_timeout", "10000")))
        engine = sa.create_engine(parsed.difference_update_query(["synchronous", "busy_timeout"]),
                                  **options)
        sa.event.listen(engine, "connect", _sqlite_pragmas(synchronous, busy_timeout))
        _track(engine)
        return engine
    options.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **options)


def session_factory(engine: sa.Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine` that keep loaded values after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextlib.contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits at the end of the block, or rolls back whole."""
    with factory() as session, session.begin():
        yield session


def serialise(session: Session, name: str, key: int) -> None:
    """Make transactions that call this with the same `name` and `key` run one after the
    other, until the caller's transaction ends: a check-then-insert (a duplicate check)
    cannot be raced (#13).

    PostgreSQL: a transaction-level advisory lock. SQLite has one writer at a time
    already: the second writer waits (busy timeout) or is refused, never interleaved.
    """
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    space = zlib.crc32(name.encode()) & 0x7FFFFFFF
    session.execute(sa.text("SELECT pg_advisory_xact_lock(:space, :key)"),
                    {"space": space, "key": int(key)})
