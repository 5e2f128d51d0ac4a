"""`kehu db revision`: autogenerate a revision for one addon's branch only."""

from __future__ import annotations

import re
import sysconfig
from pathlib import Path
from typing import Any

from alembic import command
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext

from core import migrate
from core.addons import AddonError
from core.i18n import _
from core.kernel import Kernel, boot
from core.orm import Base, Extension
from core.settings import Settings


def ownership(kernel: Kernel) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Which addon owns each table, and each column added by an extension."""
    tables = {name: "core" for name in Base.metadata.tables if name.startswith("kehu_")}
    for addon, models in kernel.models.items():
        for model in models:
            tables[model.__tablename__] = addon
    columns: dict[tuple[str, str], str] = {}
    for addon, item in kernel.registry.collect("kehu_register_models"):
        extension: Extension | None = getattr(item, "__extension__", None)
        if extension is not None:
            for key in extension.columns:
                columns[(extension.target.__tablename__, key)] = addon
    return tables, columns


def installed_copy(folder: Path) -> bool:
    """Whether `folder` lies in an installed package (a wheel in site-packages),
    where a new revision would be lost at the next install, not in a source checkout."""
    resolved = folder.resolve()
    if {"site-packages", "dist-packages"} & set(resolved.parts):
        return True
    roots = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    return any(resolved.is_relative_to(Path(root).resolve()) for root in roots)


def revision_folder(kernel: Kernel, addon: str, into: Path | None) -> Path:
    """Where `addon`'s next revision goes: `into`, else its source folder's migrations/.

    Refuses (naming the path) an addon that is an installed wheel: its source is
    elsewhere, so the caller must say where with `--into`.
    """
    if into is not None:
        if not into.is_dir():
            raise AddonError(_("the folder {path} does not exist").format(path=into))
        return into
    spec = kernel.catalog.get(addon)
    folder = migrate.CORE_MIGRATIONS / "versions" if addon == "core" else (
        spec.path / "migrations" if spec and spec.path else None
    )
    if folder is None:
        raise AddonError(_("addon '{name}' has no folder").format(name=addon))
    if installed_copy(folder):
        raise AddonError(_(
            "'{name}' is an installed package ({path}), not a source checkout: a revision "
            "written there is lost at the next install. Give your source's migrations "
            "folder with --into"
        ).format(name=addon, path=folder))
    return folder


def write_revision(
    settings: Settings, addon: str, message: str, *, into: Path | None = None,
    empty: bool = False,
) -> Path:
    """Compare `addon`'s models with the database and write the difference.

    Refuses when there is no difference, unless `empty` (a revision to fill by
    hand, e.g. to move data).
    """
    kernel = boot(settings)
    if addon != "core" and addon not in kernel.registry.installed:
        if migrate.has_branch(kernel.catalog, addon):
            raise AddonError(_("install '{name}' before writing its revisions").format(name=addon))
        # The first revision of a new addon: map its models, compare with the
        # database that does not have them yet.
        kernel = boot(settings, installed=[*kernel.registry.installed, addon])
    folder = revision_folder(kernel, addon, into)
    folder.mkdir(exist_ok=True)
    tables, columns = ownership(kernel)
    first = not migrate.has_branch(kernel.catalog, addon)

    extended = {table for (table, _column), owner in columns.items() if owner == addon}

    def include(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        if kind == "table":
            return tables.get(str(name)) == addon or str(name) in extended
        if kind == "column":
            table = obj.table.name
            owner = columns.get((table, str(name)), tables.get(table))
            return owner == addon
        return True

    found: list[bool] = []

    def refuse_empty(context: MigrationContext, revision: Any, directives: list[Any]) -> None:
        script = directives[0] if directives else None
        if isinstance(script, MigrationScript) and all(
                ops.is_empty() for ops in script.upgrade_ops_list):
            found.append(False)
            if not empty:
                directives[:] = []  # Alembic then writes no file

    installed = [name for name in kernel.registry.installed if name != addon or not first]
    # A new branch's folder holds no revision yet, but Alembic writes only into known
    # version locations: include it (#16).
    config = migrate.alembic_config(kernel.catalog, only=[*installed, addon], extra=[folder])
    config.attributes["include_object"] = include
    config.attributes["process_revision_directives"] = refuse_empty
    with migrate._bound(config, kernel.engine):
        script = command.revision(
            config,
            message=message,
            autogenerate=True,
            head="base" if first else f"{addon}@head",
            branch_label=addon if first else None,
            version_path=str(folder),
            rev_id=_next_id(kernel, addon),
        )
    if found and not empty:
        raise AddonError(_(
            "'{name}': the models and the database do not differ, so no revision was "
            "written (pass --empty for one to fill by hand)"
        ).format(name=addon))
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


def _next_id(kernel: Kernel, addon: str) -> str:
    config = migrate.alembic_config(kernel.catalog)
    from alembic.script import ScriptDirectory

    ids = [
        rev.revision
        for rev in ScriptDirectory.from_config(config).walk_revisions()
        # crm_marketing_0001, not crm_marketing_funnel_0001 (#16).
        if addon in (rev.branch_labels or ()) or re.fullmatch(rf"{addon}_\d+", rev.revision)
    ]
    return f"{addon}_{len(ids) + 1:04d}"
