"""The `kehu` command."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from core import i18n
from core.addons import AddonError
from core.i18n import _
from core.settings import Settings, SettingsError, get_settings

F = TypeVar("F", bound=Callable[..., Any])


def _settings() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def friendly(function: F) -> F:
    """Turn kernel errors into a one-line message and exit status 1."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (AddonError, SettingsError) as error:
            raise click.ClickException(str(error)) from None

    return wrapper  # type: ignore[return-value]


@click.group()
def main() -> None:
    """Kehu (客户): a modular CRM."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    i18n.set_locale(_settings().locale)


@main.command()
@click.option("--demo", is_flag=True, help="Also create demo data (Chinese company).")
@friendly
def init(demo: bool) -> None:
    """Create or complete the database, its divisions and their addons."""
    from core.installer import initialise

    result = initialise(_settings(), demo=demo)
    kernel = result.kernel
    if result.admin_password:
        click.echo(
            _("Administrator created: login admin, password {password} (shown only once)").format(
                password=result.admin_password
            )
        )
    click.echo(
        _("Database ready: {url}").format(url=kernel.engine.url.render_as_string(hide_password=True))
    )
    click.echo(_("Installed addons: {names}").format(names=", ".join(kernel.registry.installed)))


@main.command()
@click.option("--host", default=None, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on.")
@click.option("--workers", type=int, default=None, help="Worker processes.")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the web application with uvicorn."""
    import uvicorn

    settings = _settings()
    uvicorn.run(
        "core.web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        proxy_headers=settings.forwarded_allow_ips is not None,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level="info",
    )


# ------------------------------------------------------------------- addons


@main.group()
def addons() -> None:
    """List, install, uninstall, enable and disable addons."""


@addons.command("list")
@friendly
def addons_list() -> None:
    """Each addon: version, state, dependencies and the divisions that enable it."""
    from core.installer import describe_addons

    for line in describe_addons(_settings()):
        click.echo(line)


@addons.command("install")
@click.argument("names", nargs=-1, required=True)
@friendly
def addons_install(names: tuple[str, ...]) -> None:
    """Install addons (and what they depend on) in this database."""
    from core.installer import install

    new = install(_settings(), names)
    if new:
        click.echo(_("Installed: {names}").format(names=", ".join(new)))
    else:
        click.echo(_("Nothing to install: already installed."))


@addons.command("upgrade")
@click.argument("names", nargs=-1)
@friendly
def addons_upgrade(names: tuple[str, ...]) -> None:
    """Run the newer migrations and lookup data of installed addons."""
    from core.installer import upgrade_database

    done = upgrade_database(_settings(), only=names or None)
    click.echo(_("Upgraded: {names}").format(names=", ".join(done) or "-"))


@addons.command("uninstall")
@click.argument("name")
@friendly
def addons_uninstall(name: str) -> None:
    """Remove an addon's tables and columns; other addons' data stays."""
    from core.installer import uninstall

    uninstall(_settings(), name)
    click.echo(_("Uninstalled: {name}").format(name=name))


@addons.command("enable")
@click.argument("name")
@click.option("--division", "division_code", required=True, help="Division code.")
@friendly
def addons_enable(name: str, division_code: str) -> None:
    """Switch an installed addon on for a division."""
    from core.installer import enable
    from core.kernel import boot

    added = enable(boot(_settings()), name, division_code)
    click.echo(
        _("Enabled for {division}: {names}").format(
            division=division_code, names=", ".join(added) or "-"
        )
    )


@addons.command("disable")
@click.argument("name")
@click.option("--division", "division_code", required=True, help="Division code.")
@friendly
def addons_disable(name: str, division_code: str) -> None:
    """Switch an addon off for a division (its data stays)."""
    from core.installer import disable
    from core.kernel import boot

    disable(boot(_settings()), name, division_code)
    click.echo(_("Disabled for {division}: {name}").format(division=division_code, name=name))


# ----------------------------------------------------------------------- db


@main.group()
def db() -> None:
    """Database schema: upgrade, and new revisions for an addon."""


@db.command("upgrade")
@friendly
def db_upgrade() -> None:
    """Bring the kernel and every installed addon to its newest revision."""
    from core.installer import upgrade_database

    done = upgrade_database(_settings())
    click.echo(_("Database upgraded: core, {names}").format(names=", ".join(done) or "-"))


@db.command("revision")
@click.argument("addon")
@click.option("-m", "--message", required=True, help="What the revision does.")
@friendly
def db_revision(addon: str, message: str) -> None:
    """Write a new revision of ADDON's branch from its models (autogenerate)."""
    from core.revisions import write_revision

    path = write_revision(_settings(), addon, message)
    click.echo(_("Wrote {path}").format(path=path))


# --------------------------------------------------------------------- users


@main.group()
def user() -> None:
    """Create users."""


@user.command("create")
@click.argument("login")
@click.option("--name", required=True, help="Full name, e.g. 李娜.")
@click.option("--division", "division_code", required=True, help="Division code.")
@click.option("--department", "department_code", default=None, help="Department code.")
@click.option("--role", "roles", multiple=True, help="A role (repeat): sales_rep, finance...")
@click.option("--region", "regions", multiple=True, help="A region code (repeat): 320000...")
@click.option("--password", envvar="KEHU_USER_PASSWORD", default=None,
              help="Initial password (or $KEHU_USER_PASSWORD; asked when absent).")
@friendly
def user_create(login: str, name: str, division_code: str, department_code: str | None,
                roles: tuple[str, ...], regions: tuple[str, ...], password: str | None) -> None:
    """Create a user who can sign in."""
    from core.context import system_context
    from core.errors import ValidationError
    from core.kernel import boot
    from core.org import create_user

    secret = password or click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    kernel = boot(_settings())
    try:
        with system_context(), kernel.sessions.begin() as session:
            created = create_user(session, login=login, name=name, division_code=division_code,
                                  password=secret, department_code=department_code,
                                  roles=list(roles), region_codes=list(regions))
            user_id = created.id
    except ValidationError as error:
        details = "; ".join(f"{key}: {text}" for key, text in error.fields.items())
        raise click.ClickException(f"{error.message} {details}") from None
    click.echo(_("Created user {login} (id {id}).").format(login=login, id=user_id))


# ----------------------------------------------------------------- scaffold


@main.command()
@click.argument("name")
@click.option(
    "--dest",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Folder in which the package folder is created.",
)
@friendly
def scaffold(name: str, dest: Path) -> None:
    """Create a working addon package NAME with a model, a migration and a test."""
    from core.scaffolding import scaffold_addon

    folder = scaffold_addon(name, dest)
    click.echo(_("Created {folder}").format(folder=folder))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
