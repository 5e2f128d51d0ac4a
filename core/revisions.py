"""`kehu db revision`: autogenerate a revision for one addon's branch only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from alembic import command

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


def write_revision(settings: Settings, addon: str, message: str) -> Path:
    """Compare `addon`'s models with the database and write the difference."""
    kernel = boot(settings)
    if addon != "core" and addon not in kernel.registry.installed:
        if migrate.has_branch(kernel.catalog, addon):
            raise AddonError(_("install '{name}' before writing its revisions").format(name=addon))
        # The first revision of a new addon: map its models, compare with the
        # database that does not have them yet.
        kernel = boot(settings, installed=[*kernel.registry.installed, addon])
    spec = kernel.catalog.get(addon)
    folder = migrate.CORE_MIGRATIONS / "versions" if addon == "core" else (
        spec.path / "migrations" if spec and spec.path else None
    )
    if folder is None:
        raise AddonError(_("addon '{name}' has no folder").format(name=addon))
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

    installed = [name for name in kernel.registry.installed if name != addon or not first]
    # A new branch's folder holds no revision yet, but Alembic writes only into known
    # version locations: include it (#16).
    config = migrate.alembic_config(kernel.catalog, only=[*installed, addon])
    config.attributes["include_object"] = include
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
