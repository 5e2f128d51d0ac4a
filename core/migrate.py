"""Alembic, one branch per addon plus `core`, driven from Python.

Every branch's first revision carries `branch_labels = ("<addon>",)`. Branches
are upgraded in dependency order, so an addon's revision may rely on the
tables of the addons it depends on.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from core.addons import AddonSpec

CORE_MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "kehu_alembic_version"


def alembic_config(
    catalog: Mapping[str, AddonSpec], *, only: Iterable[str] | None = None,
    extra: Iterable[Path] = (),
) -> Config:
    """An Alembic config that sees the kernel's and the addons' revisions.

    `only` limits it to those addons (autogenerate wants the database at every
    head it sees, so it must not see addons that are not installed); `extra`
    folders are version locations too (`kehu db revision --into`).
    """
    config = Config()
    config.set_main_option("script_location", str(CORE_MIGRATIONS))
    folders = [CORE_MIGRATIONS / "versions"]
    folders += [
        spec.migrations_dir
        for name, spec in catalog.items()
        if spec.migrations_dir and (only is None or name in only)
    ]
    folders += [folder for folder in extra if folder not in folders]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(f) for f in folders))
    return config


Bind = sa.Engine | sa.Connection


@contextmanager
def _bound(config: Config, bind: Bind) -> Iterator[Config]:
    """Run on `bind`: a connection (its transaction) or an engine (a new one)."""
    with contextlib.ExitStack() as stack:
        connection = bind if isinstance(bind, sa.Connection) else stack.enter_context(bind.begin())
        config.attributes["connection"] = connection
        try:
            yield config
        finally:
            config.attributes.pop("connection", None)


def has_branch(catalog: Mapping[str, AddonSpec], branch: str) -> bool:
    """Whether any revision carries the label `branch`."""
    script = ScriptDirectory.from_config(alembic_config(catalog))
    return any(branch in (rev.branch_labels or ()) for rev in script.walk_revisions())


def upgrade(
    bind: Bind, catalog: Mapping[str, AddonSpec], branch: str, *, to: str = "head"
) -> None:
    """Bring `branch` to `to` (its head by default)."""
    config = alembic_config(catalog)
    target = to if to != "head" else f"{branch}@head"
    with _bound(config, bind):
        command.upgrade(config, target)


def downgrade_to_base(bind: Bind, catalog: Mapping[str, AddonSpec], branch: str) -> None:
    """Undo every revision of `branch` (uninstall drops what the addon created)."""
    config = alembic_config(catalog)
    with _bound(config, bind):
        command.downgrade(config, f"{branch}@base")


def current_revisions(engine: sa.Engine) -> set[str]:
    """The revision heads recorded in the database."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE}
        )
        return set(context.get_current_heads())
