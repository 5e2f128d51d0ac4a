"""Boot: settings, database, addons and their models, for one process."""

from __future__ import annotations

import functools
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from core import attachments as _attachments  # noqa: F401  (kernel tables)
from core import audit as _audit  # noqa: F401  (kernel tables)
from core import i18n
from core import lookups as _lookups  # noqa: F401  (references stay in the division, #14)
from core import saving as _saving  # noqa: F401  (the save-time hook listener)
from core.access import enforce as _enforce  # noqa: F401  (ORM listeners)
from core.access.policy import Policy
from core.access.rules import check_rule_fields
from core.addons import AddonError, AddonSpec, DivisionHooks, Registry, discover, resolve_order
from core.auth import models as _auth_models  # noqa: F401  (kernel tables)
from core.auth import sessions as _sessions  # noqa: F401  (ends sessions on password change)
from core.auth.sessions import ensure_secret_key
from core.context import system_context
from core.dataexchange.checks import RowsCheck, collect_import_checks
from core.db import make_engine, session_factory
from core.lists import CursorSigner
from core.models import DivisionAddon, InstalledAddon
from core.navigation import Menu
from core.orm import EXTENSIONS_KEY, Model, extension_of
from core.records import Records
from core.reports import RegisteredReport, collect_reports
from core.runtime import KERNEL_KEY as KERNEL_KEY  # session.info key (re-exported)
from core.runtime import kernel_of as kernel_of  # noqa: F401  (core.kernel.kernel_of)
from core.settings import Settings, get_settings
from core.views import ModelViews, collect_views
from core.workflow import locks as _workflow_locks  # noqa: F401  (flush checks)
from core.workflow.declarations import Workflow
from core.workflow.registry import Installed, collect_workflows, install_workflows, lock_forms

log = logging.getLogger(__name__)


@dataclass
class Kernel:
    """Everything a process needs: settings, engine, sessions and addons.

    Its services (policy, workflows, registry, import checks, running imports) are
    reached through the kernel, never through module globals: code finds the kernel
    of its session or request with `core.runtime.kernel_of` (#21).
    """

    settings: Settings
    engine: sa.Engine
    sessions: sessionmaker[Session]
    catalog: dict[str, AddonSpec]
    registry: Registry
    models: dict[str, list[type[Model]]] = field(default_factory=dict)
    menus: list[tuple[str, Menu]] = field(default_factory=list)
    policy: Policy = field(default_factory=Policy)
    views: dict[type, ModelViews] = field(default_factory=dict)
    records: dict[type, Records] = field(default_factory=dict)
    # URL key of each model with views (its table name) → model.
    model_keys: dict[str, type] = field(default_factory=dict)
    # Model → its workflow (states, transitions, default approval chain).
    workflows: dict[type, Workflow] = field(default_factory=dict)
    # The same workflows as the engine asks for them (core.workflow.registry.workflows_of).
    flows: Installed = field(default_factory=Installed)
    # Report key → the declared report and its addon (core.reports).
    reports: dict[str, RegisteredReport] = field(default_factory=dict)
    # Imports this process runs, by job id: their progress polls read the live job
    # (core.dataexchange.jobs.ImportJob); the lock guards the dict.
    # Model → the addons' extra import row checks, each with its addon (core.dataexchange).
    import_checks: dict[type, list[tuple[RowsCheck, str]]] = field(default_factory=dict)
    running_imports: dict[str, Any] = field(default_factory=dict)
    imports_lock: threading.Lock = field(default_factory=threading.Lock)
    # Bumped by every flush of this kernel's sessions that changes the organisation:
    # the web layer's cached actors are rebuilt (core.web.security.ActorCache).
    org_changes: int = 0

    def session(self) -> Session:
        """A new session on this kernel's database."""
        return self.sessions()

    def sessions_on(self, engine: sa.Engine) -> sessionmaker[Session]:
        """Sessions that obey this kernel on another engine of its database (a pool of
        their own: concurrency tests); a bare sessionmaker's would obey no kernel."""
        made = session_factory(engine)
        made.configure(info=dict(self.sessions.kw["info"]))
        return made

    def hooks_for(self, division_id: int | None) -> DivisionHooks:
        """Hook callers restricted to the addons enabled in the division (all for None)."""
        return self.registry.hooks_for(division_id)

    def refresh_enabled(self) -> None:
        """Re-read which addons each division enabled (after enable/disable)."""
        self.registry.set_enabled(self._read_enabled())

    def _read_enabled(self) -> dict[int, frozenset[str]]:
        with system_context(), self.sessions() as session:
            return read_enabled(session)


def read_installed(engine: sa.Engine) -> list[str]:
    """Names of the addons installed in the database (none before `kehu init`)."""
    if not sa.inspect(engine).has_table(InstalledAddon.__tablename__):
        return []
    with engine.connect() as connection:
        return list(connection.scalars(sa.select(InstalledAddon.name)))


def read_enabled(session: Session) -> dict[int, frozenset[str]]:
    """For each division, the addons it has switched on."""
    enabled: dict[int, set[str]] = defaultdict(set)
    for division_id, addon in session.execute(
        sa.select(DivisionAddon.division_id, DivisionAddon.addon)
    ):
        enabled[division_id].add(addon)
    return {key: frozenset(value) for key, value in enabled.items()}


def _register_models(
    registry: Registry, extended: dict[type, list[Any]]
) -> dict[str, list[type[Model]]]:
    """The installed addons' models; their extensions are applied and, in `extended`,
    listed per model for this kernel's sessions to load (core.orm.EXTENSIONS_KEY)."""
    models: dict[str, list[type[Model]]] = defaultdict(list)
    for addon, item in registry.collect("kehu_register_models"):
        extension = extension_of(item)
        if extension is not None:
            extension.apply()
            extended.setdefault(extension.target, []).extend(extension.attributes())
        elif isinstance(item, type) and issubclass(item, Model):
            item.__addon__ = addon
            models[addon].append(item)
        else:
            raise AddonError(f"addon '{addon}' registered {item!r}, which is not a model")
    sa.orm.configure_mappers()
    return dict(models)


def _build_policy(kernel: Kernel) -> Policy:
    owners = {model: addon for addon, models in kernel.models.items() for model in models}
    rules = kernel.registry.collect("kehu_register_record_rules")
    for addon, rule in rules:
        check_rule_fields(addon, rule)
    return Policy.build(
        access=kernel.registry.collect("kehu_register_access"),
        rules=rules,
        owner_addon=owners,
        enabled=kernel.registry.enabled_for,
    )


def _absent_extensions(kernel: Kernel, model: type) -> frozenset[str]:
    """Columns other addons added to `model` in this process that this database lacks."""
    extended = kernel.sessions.kw["info"][EXTENSIONS_KEY]
    here = {attribute.key for attribute in extended.get(model, ())}
    return frozenset(column.key for column in model.__table__.columns  # type: ignore[attr-defined]
                     if column.info.get("extension") and column.key not in here)


def _build_views(kernel: Kernel) -> None:
    owners = {model: addon for addon, models in kernel.models.items() for model in models}
    kernel.views = collect_views(kernel.registry.collect("kehu_register_views"), owners)
    # List cursors are signed with the installation's secret, read on first use (#21).
    cursors = CursorSigner(functools.partial(ensure_secret_key, kernel.settings))
    kernel.records = {model: Records(views, _absent_extensions(kernel, model), cursors)
                      for model, views in kernel.views.items()}
    kernel.model_keys = {model.__tablename__: model for model in kernel.views}  # type: ignore[attr-defined]


def boot(settings: Settings | None = None, *, installed: list[str] | None = None) -> Kernel:
    """Start the kernel: read what is installed, register hooks, map models.

    `installed` overrides what the database says (tests and `kehu init`).
    """
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url)
    catalog = discover(addons_path=[settings.path(p) for p in settings.addons_path])
    names = read_installed(engine) if installed is None else installed
    usable = [name for name in names if name in catalog and catalog[name].ok]
    for name in set(names) - set(usable):
        reason = catalog[name].error if name in catalog else "not found"
        log.error("installed addon %s is not loaded: %s", name, reason)
    order = resolve_order(catalog, usable)
    registry = Registry(catalog=catalog, installed=order)
    registry.pm.check_pending()
    for name in order:
        spec = catalog[name]
        if spec.path is not None:
            i18n.add_catalog_dir(spec.path / "locale", package=spec.module_name)
    kernel = Kernel(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        catalog=catalog,
        registry=registry,
    )
    # Every session of this kernel carries it (core/saving.py reads it, #21).
    extended: dict[type, list[Any]] = {}
    kernel.sessions.configure(info={KERNEL_KEY: kernel, EXTENSIONS_KEY: extended})
    kernel.models = _register_models(registry, extended)
    kernel.menus = registry.collect("kehu_register_menus")
    kernel.policy = _build_policy(kernel)
    kernel.workflows = collect_workflows(registry.collect("kehu_register_workflows"))
    kernel.flows = install_workflows(kernel.workflows, registry)
    _build_views(kernel)
    lock_forms(kernel.flows, kernel.views)
    kernel.import_checks = collect_import_checks(registry.collect("kehu_register_import_checks"))
    kernel.reports = collect_reports(
        registry.collect("kehu_register_reports"),
        {model for models in kernel.models.values() for model in models},
    )
    if sa.inspect(engine).has_table(DivisionAddon.__tablename__):
        kernel.refresh_enabled()
        registry.reload = kernel._read_enabled
    return kernel
