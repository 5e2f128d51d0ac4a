"""What an operator did wrong, in one line: the cause and the fix.

`explain(error)` turns the errors a command meets when the database is
unreachable, a folder is not writable, a file is missing or the database is
not initialised (or behind this version of Kehu) into one line; the CLI prints
it and exits with status 1 (`--debug` shows the traceback instead).
`check_database(settings)` finds the last two before a command starts.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable

import sqlalchemy as sa

from core.addons import AddonError
from core.i18n import _
from core.settings import Settings, SettingsError


class DatabaseNotReady(Exception):
    """The database cannot be used yet: not initialised, or behind the code."""


def _database_label(settings: Settings | None) -> str:
    if settings is None:
        return _("the database")
    url = sa.make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def pending_branches(engine: sa.Engine, settings: Settings, installed: Iterable[str]) -> list[str]:
    """The migration branches (core, addons) whose head the database has not reached."""
    from alembic.script import ScriptDirectory

    from core.addons import discover
    from core.migrate import alembic_config, current_revisions

    names = list(installed)
    catalog = discover(addons_path=[settings.path(p) for p in settings.addons_path])
    script = ScriptDirectory.from_config(alembic_config(catalog, only=names))
    labelled = {label for rev in script.walk_revisions() for label in rev.branch_labels or ()}
    current = current_revisions(engine)
    behind = []
    for branch in ["core", "kehu_jobs", *names]:
        if branch not in labelled:
            continue
        heads = {rev.revision for rev in script.get_revisions(f"{branch}@head") if rev}
        if not heads & current:
            behind.append(branch)
    return behind


def check_database(settings: Settings, *, allow_behind: bool = False) -> None:
    """Raise DatabaseNotReady unless the database is initialised (and at every head)."""
    from core.db import make_engine
    from core.kernel import read_installed
    from core.migrate import VERSION_TABLE

    url = sa.make_url(settings.resolved_database_url)
    label = _database_label(settings)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        from pathlib import Path

        if not Path(url.database).exists():
            raise DatabaseNotReady(_("the database {database} does not exist: run `kehu init` "
                                     "first (or set KEHU_HOME to the instance folder)")
                                   .format(database=label))
    engine = make_engine(settings.resolved_database_url)
    try:
        if not sa.inspect(engine).has_table(VERSION_TABLE):
            raise DatabaseNotReady(_("the database {database} is not initialised: run "
                                     "`kehu init` first").format(database=label))
        behind = [] if allow_behind else pending_branches(engine, settings, read_installed(engine))
    finally:
        engine.dispose()
    if behind:
        raise DatabaseNotReady(_("the database is behind this version of Kehu ({names}): run "
                                 "`kehu db upgrade` first").format(names=", ".join(behind)))


def _first_line(text: object) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _operational(error: sa.exc.DBAPIError, settings: Settings | None) -> str:
    cause = _first_line(error.orig)
    label = _database_label(settings)
    lowered = cause.lower()
    if "unable to open database file" in lowered or "readonly database" in lowered:
        return _("cannot write the SQLite database {database} ({cause}): check that its folder "
                 "exists and is writable, or set KEHU_HOME").format(database=label, cause=cause)
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return _("the database {database} is not initialised or is behind ({cause}): run "
                 "`kehu init`, or `kehu db upgrade`").format(database=label, cause=cause)
    if settings is not None and settings.backend == "postgresql":
        return _("cannot connect to PostgreSQL at {database} ({cause}): start the server, or "
                 "fix KEHU_DATABASE_URL").format(database=label, cause=cause)
    return _("database error on {database}: {cause}").format(database=label, cause=cause)


def _os_error(error: OSError) -> str:
    name = error.filename or ""
    if isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("permission denied: {path}: give this user write access, or choose another "
                 "folder (KEHU_HOME)").format(path=name)
    if isinstance(error, FileNotFoundError):
        return _("no such file or folder: {path}: create it, or check the path").format(path=name)
    if isinstance(error, IsADirectoryError):
        return _("{path} is a folder: name a file").format(path=name)
    return _("cannot use {path} ({cause}): check the path, or choose another folder "
             "(KEHU_HOME)").format(path=name, cause=error.strerror or error)


def explain(error: BaseException, settings: Settings | None = None) -> str:
    """One line naming the cause of `error` and what to do about it."""
    from alembic.util.exc import CommandError

    from core.errors import KehuError

    if isinstance(error, (SettingsError, AddonError, DatabaseNotReady)):
        return str(error)
    if isinstance(error, sa.exc.NoSuchModuleError):
        return _("unsupported database driver in KEHU_DATABASE_URL ({cause}): use sqlite:/// or "
                 "postgresql+psycopg://").format(cause=_first_line(error))
    if isinstance(error, ModuleNotFoundError) and error.name and "psycopg" in error.name:
        return _("the PostgreSQL driver is not installed: pip install 'kehu[postgres]'")
    if isinstance(error, sa.exc.DBAPIError):
        return _operational(error, settings)
    if isinstance(error, CommandError):
        cause = _first_line(error)
        if "not up to date" in cause:
            return _("the database is behind ({cause}): run `kehu db upgrade` first").format(
                cause=cause)
        return _("migration error: {cause}").format(cause=cause)
    if isinstance(error, OSError):
        return _os_error(error)
    if isinstance(error, KehuError):
        details = "; ".join(f"{key}: {text}" for key, text in getattr(error, "fields", {}).items())
        return f"{error.message} {details}".strip()
    return _("unexpected {kind}: {cause} (run with --debug to see the traceback)").format(
        kind=type(error).__name__, cause=_first_line(error))
