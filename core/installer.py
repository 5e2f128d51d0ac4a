"""Install, upgrade, uninstall addons database-wide; enable them per division."""

from __future__ import annotations

import contextlib
import difflib
import logging
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core import migrate, security_log
from core.addons import AddonError, dependents, discover, resolve_order
from core.attachments import storage_root
from core.auth.passwords import hash_password
from core.context import current_actor, system_context
from core.db import make_engine
from core.demo import create_demo_organisation
from core.errors import AccessDenied
from core.i18n import _
from core.jobs import JOBS_BRANCH
from core.kernel import KERNEL_KEY, Kernel, boot, read_installed
from core.models import Division, DivisionAddon, InstalledAddon, Role, User
from core.org import ADMIN, seed_regions, seed_roles
from core.orm import utcnow
from core.saving import EVERY_ADDON
from core.search.indexing import backfill_all
from core.seeding import load_lookup_data
from core.settings import Settings
from core.uninstalling import continue_ids, forget_records, last_ids, remove_files, retire

log = logging.getLogger(__name__)


@contextlib.contextmanager
def migrating(kernel: Kernel) -> Iterator[Session]:
    """A session whose transaction holds schema changes and bookkeeping together.

    SQLite checks foreign keys while batch migrations rebuild a referenced
    table, so they are switched off for the transaction (it must be done
    outside one) and the whole database is checked before the commit.
    """
    with kernel.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection
        assert raw is not None  # an open connection has its driver's connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with Session(bind=connection) as session, session.begin():
                # The session obeys this kernel (core.runtime.kernel_of); installs load an
                # addon's data before any division enables it (#21).
                session.info.update({KERNEL_KEY: kernel, EVERY_ADDON: True})
                if sqlite:
                    # pysqlite would run DDL outside any transaction: open one.
                    session.connection().exec_driver_sql("BEGIN")
                yield session
                if sqlite:
                    broken = session.execute(sa.text("PRAGMA foreign_key_check")).first()
                    if broken is not None:
                        raise AddonError(f"migration left a broken reference: {tuple(broken)}")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


def _run_branch(kernel: Kernel, session: Session, name: str) -> None:
    """Migrate `name` inside the session's transaction: all or nothing."""
    if migrate.has_branch(kernel.catalog, name):
        migrate.upgrade(session.connection(), kernel.catalog, name)


def _load_data(kernel: Kernel, session: Session, name: str) -> None:
    contributed = kernel.registry.call_addon(name, "kehu_register_lookup_data") or []
    divisions = list(session.scalars(sa.select(Division.id)))
    for data in contributed:
        if "division_id" in data.model.__table__.c and data.model.__table__.c.division_id.nullable is False:
            for division_id in divisions:
                load_lookup_data(session, data, division_id=division_id)
        else:
            load_lookup_data(session, data, division_id=None)


def _upgrade_kernel(settings: Settings) -> list[str]:
    """Bring the kernel's own tables to head; return the installed addons."""
    probe = boot(settings, installed=[])
    with migrating(probe) as session:
        migrate.upgrade(session.connection(), probe.catalog, "core")
        migrate.upgrade(session.connection(), probe.catalog, JOBS_BRANCH)
        if settings.queue_jobs:
            from core.jobqueue import apply_queue_schema

            apply_queue_schema(session.connection())
    installed = read_installed(probe.engine)
    probe.engine.dispose()
    return installed


def upgrade_database(settings: Settings, *, only: Iterable[str] | None = None) -> list[str]:
    """Bring the kernel and the installed addons (or `only` these) to their heads.

    Returns the addons upgraded, in dependency order. Data is kept: revisions
    alter tables in place.
    """
    installed = _upgrade_kernel(settings)
    kernel = boot(settings, installed=installed)
    unknown = sorted(set(only or ()) - set(kernel.registry.installed))
    if unknown:
        raise AddonError(_("addon '{name}' is not installed").format(name=", ".join(unknown)))
    names = [n for n in kernel.registry.installed if only is None or n in set(only)]
    with system_context(), migrating(kernel) as session:
        for name in names:
            _run_branch(kernel, session, name)
            row = session.get(InstalledAddon, name)
            if row is None:  # a dependency an installed addon gained in this version
                row = InstalledAddon(name=name, version=kernel.registry.manifest(name).version)
                session.add(row)
                session.flush()
                log.info("installed addon %s: a new dependency", name)
            row.version = kernel.registry.manifest(name).version
            row.upgrade_date = utcnow()
            _load_data(kernel, session, name)
        _enable_new_dependencies(kernel, session)
        for name in names:
            kernel.registry.hook.kehu_on_installed(session=session, addon=name)
    kernel.engine.dispose()
    return names


def _enable_new_dependencies(kernel: Kernel, session: Session) -> None:
    """A division that enables an addon enables what it now depends on too."""
    enabled: dict[int, set[str]] = {}
    for division_id, addon in session.execute(sa.select(DivisionAddon.division_id,
                                                        DivisionAddon.addon)):
        enabled.setdefault(division_id, set()).add(addon)
    for division_id, names in enabled.items():
        wanted = resolve_order(kernel.catalog, sorted(names & set(kernel.registry.installed)))
        for addon in wanted:
            if addon not in names:
                session.add(DivisionAddon(division_id=division_id, addon=addon))
    session.flush()


def install(settings: Settings, names: Iterable[str]) -> list[str]:
    """Install `names` and their dependencies; returns the newly installed addons."""
    current = _upgrade_kernel(settings)
    probe = boot(settings, installed=[])
    wanted = resolve_order(probe.catalog, [*current, *names])
    probe.engine.dispose()
    new = [name for name in wanted if name not in current]
    kernel = boot(settings, installed=wanted)
    with system_context(), migrating(kernel) as session:
        for name in new:
            _run_branch(kernel, session, name)
            continue_ids(session)  # a reinstalled addon's tables give no id twice (#13)
            version = kernel.registry.manifest(name).version
            session.add(InstalledAddon(name=name, version=version))
            session.flush()
            _load_data(kernel, session, name)
            log.info("installed addon %s %s", name, version)
        for name in new:
            kernel.registry.hook.kehu_on_installed(session=session, addon=name)
    kernel.engine.dispose()
    return new


def uninstall(settings: Settings, name: str) -> None:
    """Remove `name`: its tables and columns go; other addons' rows stay.

    The kernel's rows about its records (chatter, attachments, history, approval
    rounds...) go in the same transaction, and the ids its tables gave out are
    never given again (core/uninstalling.py, #13). Refused while another
    installed addon depends on it.
    """
    kernel = boot(settings)
    installed = kernel.registry.installed
    if name not in installed:
        raise AddonError(_("addon '{name}' is not installed").format(name=name))
    needing = dependents(kernel.catalog, name, installed)
    if needing:
        raise AddonError(
            _("cannot uninstall '{name}': {others} depend on it").format(
                name=name, others=", ".join(needing)
            )
        )
    owned = {model.__tablename__ for model in kernel.models.get(name, [])}
    with system_context(), migrating(kernel) as session:
        connection = session.connection()
        before = set(sa.inspect(connection).get_table_names())
        retire(session, last_ids(connection, owned))
        session.execute(sa.delete(DivisionAddon).where(DivisionAddon.addon == name))
        session.execute(sa.delete(InstalledAddon).where(InstalledAddon.name == name))
        if migrate.has_branch(kernel.catalog, name):
            migrate.downgrade_to_base(connection, kernel.catalog, name)
        dropped = before - set(sa.inspect(connection).get_table_names())
        files = forget_records(connection, dropped | owned)
    remove_files(storage_root(settings.path(settings.data_dir)), files)
    kernel.engine.dispose()


def _division(session: Session, code: str) -> Division:
    division = session.scalar(sa.select(Division).where(Division.code == code))
    if division is None:
        raise AddonError(_("no division with code '{code}'").format(code=code))
    return division


def _check_admin() -> None:
    actor = current_actor()
    if not (actor.system or actor.is_admin):
        security_log.event("access.denied", actor=actor, operation="addon switch")
        raise AccessDenied(_("Only an administrator may switch addons on or off."))


def enable(kernel: Kernel, name: str, division_code: str) -> list[str]:
    """Switch `name` (and its dependencies) on for a division; returns what was added.

    Only an administrator (or the system: the CLI) may; checked here, below the pages."""
    _check_admin()
    installed = kernel.registry.installed
    wanted = resolve_order(kernel.catalog, [name])
    missing = [n for n in wanted if n not in installed]
    if missing:
        raise AddonError(
            _("install {names} before enabling it").format(names=", ".join(missing))
        )
    with system_context(), kernel.sessions.begin() as session:
        division = _division(session, division_code)
        have = set(
            session.scalars(
                sa.select(DivisionAddon.addon).where(DivisionAddon.division_id == division.id)
            )
        )
        added = [n for n in wanted if n not in have]
        for addon in added:
            session.add(DivisionAddon(division_id=division.id, addon=addon))
    kernel.refresh_enabled()
    return added


def disable(kernel: Kernel, name: str, division_code: str) -> None:
    """Switch `name` off for a division; refused while an enabled addon needs it.

    Only an administrator (or the system: the CLI) may."""
    _check_admin()
    with system_context(), kernel.sessions.begin() as session:
        division = _division(session, division_code)
        on = list(
            session.scalars(
                sa.select(DivisionAddon.addon).where(DivisionAddon.division_id == division.id)
            )
        )
        if name not in on:
            raise AddonError(
                _("addon '{name}' is not enabled for {division}").format(
                    name=name, division=division_code
                )
            )
        needing = dependents(kernel.catalog, name, on)
        if needing:
            raise AddonError(
                _("cannot disable '{name}': {others} depend on it").format(
                    name=name, others=", ".join(needing)
                )
            )
        session.execute(
            sa.delete(DivisionAddon).where(
                DivisionAddon.division_id == division.id, DivisionAddon.addon == name
            )
        )
    kernel.refresh_enabled()


def _ensure_secret_key(settings: Settings) -> bool:
    """Write the secret key file if it is missing; True if it was written now."""
    path = settings.path(settings.secret_key_file)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_urlsafe(48))
    path.chmod(0o600)
    return True


@dataclass
class InitResult:
    """What `kehu init` did: the kernel, and the admin password if one was made."""

    kernel: Kernel
    admin_password: str | None = None


def _ensure_admin(session: Session) -> str | None:
    """Create the `admin` user; return its password only if it was generated."""
    if session.scalar(sa.select(User.id).where(User.login == "admin")) is not None:
        return None
    generated = None
    password = os.environ.get("KEHU_ADMIN_PASSWORD")
    if not password:
        password = generated = secrets.token_urlsafe(12)
    division_id = session.scalar(
        sa.select(Division.id).order_by(Division.is_headquarters.desc(), Division.id)
    )
    admin = User(login="admin", name=_("Administrator"), division_id=division_id,
                 password_hash=hash_password(password))
    admin.roles = [session.get(Role, ADMIN)]  # type: ignore[list-item]
    session.add(admin)
    return generated


def check_init_settings(settings: Settings) -> list[str]:
    """Refuse, before anything is written, divisions and addons that cannot be set up.

    Returns the addons to install, in dependency order."""
    if not settings.divisions:
        raise AddonError(_("no divisions are configured: add a [[divisions]] table to "
                           "kehu.toml or set KEHU_DIVISIONS"))
    catalog = discover(addons_path=[settings.path(p) for p in settings.addons_path])
    for config in settings.divisions:
        for name in config.addons:
            if name not in catalog:
                close = difflib.get_close_matches(name, sorted(catalog), n=1)
                hint = _(" (did you mean {name}?)").format(name=close[0]) if close else ""
                raise AddonError(_("division {division} names addon '{name}', which does not "
                                   "exist{hint}").format(division=config.code, name=name,
                                                         hint=hint))
            if not catalog[name].ok:
                raise AddonError(_("addon '{name}' cannot be loaded: {reason}").format(
                    name=name, reason=catalog[name].error))
    wanted = sorted({name for division in settings.divisions for name in division.addons})
    return resolve_order(catalog, wanted)


def _database_is_empty(settings: Settings) -> bool:
    """Whether the database has no tables yet (or, for SQLite, no file)."""
    url = sa.make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return True
        if not Path(url.database).exists():
            return True
    engine = make_engine(settings.resolved_database_url)
    try:
        return not sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _wipe(settings: Settings) -> None:
    """Undo a first `kehu init` that failed: the database goes back to empty."""
    url = sa.make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(url.database + suffix).unlink(missing_ok=True)
        return
    engine = make_engine(settings.resolved_database_url)
    try:
        with engine.begin() as connection:
            for table in sa.inspect(connection).get_table_names():
                connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
            if connection.dialect.name == "postgresql":
                # What the job queue's schema adds besides tables.
                for (signature,) in connection.execute(sa.text(
                        "SELECT p.oid::regprocedure::text FROM pg_proc p "
                        "JOIN pg_namespace n ON n.oid = p.pronamespace "
                        "WHERE n.nspname = current_schema() AND p.proname LIKE :prefix"),
                        {"prefix": "procrastinate%"}):
                    connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
                for (name,) in connection.execute(sa.text(
                        "SELECT t.typname FROM pg_type t JOIN pg_namespace n "
                        "ON n.oid = t.typnamespace WHERE n.nspname = current_schema() "
                        "AND t.typname LIKE :prefix AND t.typtype = 'e'"),
                        {"prefix": "procrastinate%"}):
                    connection.exec_driver_sql(f'DROP TYPE IF EXISTS "{name}" CASCADE')
    finally:
        engine.dispose()


def initialise(settings: Settings, *, demo: bool = False) -> InitResult:
    """Create (or complete) a database: kernel, divisions, their addons, demo data.

    Safe to run again: what exists is kept, what is missing is added. All or
    nothing: the settings are checked before anything is written, and a first
    init that fails still leaves an empty database (and no new secret key).
    """
    check_init_settings(settings)
    fresh = _database_is_empty(settings)
    new_key = _ensure_secret_key(settings)
    try:
        kernel, password = _initialise(settings, demo=demo)
    except BaseException:
        if fresh:
            log.warning("kehu init failed: the database is emptied again")
            _wipe(settings)
        if new_key:
            settings.path(settings.secret_key_file).unlink(missing_ok=True)
        raise
    return InitResult(kernel=kernel, admin_password=password)


def _initialise(settings: Settings, *, demo: bool) -> tuple[Kernel, str | None]:
    _upgrade_kernel(settings)
    probe = boot(settings, installed=[])
    # Divisions first: addons load per-division lookup data when installed.
    with system_context(), probe.sessions.begin() as session:
        seed_roles(session)
        seed_regions(session)
        for config in settings.divisions:
            division = session.scalar(sa.select(Division).where(Division.code == config.code))
            if division is None:
                session.add(Division(code=config.code, name=config.name,
                                     is_headquarters=config.headquarters))
        session.flush()
        password = _ensure_admin(session)
    probe.engine.dispose()
    wanted = sorted({name for division in settings.divisions for name in division.addons})
    install(settings, wanted)
    upgrade_database(settings)
    kernel = boot(settings)
    try:
        for config in settings.divisions:
            for name in config.addons:
                enable(kernel, name, config.code)
        if demo:
            load_demo(kernel)
    except BaseException:
        kernel.engine.dispose()
        raise
    return kernel, password


def set_password(settings: Settings, login: str, password: str) -> None:
    """Give the user `login` a new password (checked like any other); their sessions end."""
    from core.context import SYSTEM
    from core.org import set_password as set_user_password

    kernel = boot(settings, installed=[])
    try:
        with system_context(), kernel.sessions.begin() as session:
            user_id = session.scalar(sa.select(User.id).where(User.login == login))
            if user_id is None:
                raise AddonError(_("no user with login '{login}'").format(login=login))
            set_user_password(session, SYSTEM, user_id, password)
    finally:
        kernel.engine.dispose()


def load_demo(kernel: Kernel) -> None:
    """The demo organisation, then every installed addon's demo records."""
    with system_context(), kernel.sessions.begin() as session:
        divisions = list(session.scalars(sa.select(Division).order_by(Division.id)))
        create_demo_organisation(session, divisions)
        for name in kernel.registry.installed:
            kernel.registry.call_addon(
                name, "kehu_load_demo_data", session=session, divisions=divisions
            )
        # Demo records are bulk-inserted: the global search indexes them here (#18).
        backfill_all(session, kernel.registry)


def describe_addons(settings: Settings) -> list[str]:
    """Lines of a table: each addon, version, state, dependencies, divisions."""
    kernel = boot(settings)
    if not sa.inspect(kernel.engine).has_table(InstalledAddon.__tablename__):
        raise AddonError(_("the database is empty: run `kehu init` first"))
    with kernel.sessions() as session:
        installed = {row.name: row for row in session.scalars(sa.select(InstalledAddon))}
        codes = dict(session.execute(sa.select(Division.id, Division.code)).all())
    by_addon: dict[str, list[str]] = {}
    for division_id, names in kernel.registry.enabled.items():
        for name in names:
            by_addon.setdefault(name, []).append(codes.get(division_id, str(division_id)))
    header = (_("addon"), _("version"), _("state"), _("depends"), _("enabled in"))
    rows: list[tuple[str, ...]] = [header]
    for name, spec in sorted(kernel.catalog.items()):
        manifest = spec.manifest
        version = manifest.version if manifest else "?"
        if not spec.ok:
            state = _("broken: {reason}").format(reason=spec.error)
        elif name in installed:
            state = _("installed")
            if installed[name].version != version:
                state = _("installed {old}, upgrade to {new} pending").format(
                    old=installed[name].version, new=version
                )
        else:
            state = _("available")
        depends = ", ".join(manifest.depends) if manifest and manifest.depends else "-"
        divisions = ", ".join(sorted(by_addon.get(name, []))) or "-"
        rows.append((name, version, state, depends, divisions))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    kernel.engine.dispose()
    return [
        "  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row))
        for row in rows
    ]
