"""The `kehu` command.

Every command turns the errors an operator can cause into one line and exit
status 1 (core/cli_errors.py); `kehu --debug ...` (or KEHU_DEBUG=1) shows the
traceback instead. Jobs commands live in core/cli_jobs.py, `kehu doctor` in
core/cli_doctor.py.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from core import i18n
from core.i18n import _
from core.settings import (
    Settings,
    SettingsError,
    get_settings,
    home_is_default,
    unknown_variables,
)

F = TypeVar("F", bound=Callable[..., Any])


def _settings() -> Settings:
    return get_settings()


def _ready_settings() -> Settings:
    """The settings, once the database is known to be initialised and up to date."""
    from core.cli_errors import check_database

    settings = _settings()
    check_database(settings)
    return settings


def _initialised_settings() -> Settings:
    """The settings, once the database is known to be initialised (it may be behind)."""
    from core.cli_errors import check_database

    settings = _settings()
    check_database(settings, allow_behind=True)
    return settings


def _kernel() -> Any:
    """The kernel of an initialised, up-to-date database."""
    from core.kernel import boot

    return boot(_ready_settings())


def friendly(function: F) -> F:
    """Kept for addons' commands: errors are turned into one line by the group."""
    return function


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kehu")
    except PackageNotFoundError:  # pragma: no cover - a checkout without metadata
        from core import __version__

        return __version__


class KehuGroup(click.Group):
    """The `kehu` group: one line for an operator's mistake, the traceback with --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if ctx.params.get("debug") or os.environ.get("KEHU_DEBUG"):
                raise
            from core.cli_errors import explain

            try:
                settings = get_settings()
            except SettingsError:
                settings = None
            raise click.ClickException(explain(error, settings)) from None


@click.group(cls=KehuGroup)
@click.version_option(_version(), "--version", "-V", prog_name="kehu",
                      message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
def main(debug: bool) -> None:
    """Kehu (客户): a modular CRM."""
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    settings = _settings()
    i18n.set_locale(settings.locale)
    for message in unknown_variables():
        click.echo(_("Warning: {message}").format(message=message), err=True)
    if home_is_default():
        click.echo(_("Instance folder: {path} (KEHU_HOME is not set)").format(path=settings.home),
                   err=True)


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
    click.echo(_("Instance folder: {path}").format(path=kernel.settings.home))
    click.echo(_("Installed addons: {names}").format(names=", ".join(kernel.registry.installed)))


@main.command()
@click.option("--host", default=None, help="Address to listen on.")
@click.option("--port", type=int, default=None, help="Port to listen on.")
@click.option("--workers", type=int, default=None, help="Worker processes.")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the web application with uvicorn."""
    import uvicorn

    settings = _ready_settings()
    uvicorn.run(
        "core.serving:serve_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        proxy_headers=settings.forwarded_allow_ips is not None,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level="info",
        server_header=False,  # no "server: uvicorn" banner (#13)
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

    done = upgrade_database(_initialised_settings(), only=names or None)
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

    added = enable(_kernel(), name, division_code)
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

    disable(_kernel(), name, division_code)
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

    done = upgrade_database(_initialised_settings())
    click.echo(_("Database upgraded: core, {names}").format(names=", ".join(done) or "-"))


@db.command("revision")
@click.argument("addon")
@click.option("-m", "--message", required=True, help="What the revision does.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write into this folder (your source's migrations/), e.g. for an "
                   "addon installed as a wheel.")
@click.option("--empty", is_flag=True, help="Write the revision even when the models "
                                            "and the database do not differ.")
@friendly
def db_revision(addon: str, message: str, into: Path | None, empty: bool) -> None:
    """Write a new revision of ADDON's branch from its models (autogenerate)."""
    from core.revisions import write_revision

    path = write_revision(_ready_settings(), addon, message, into=into, empty=empty)
    click.echo(_("Wrote {path}").format(path=path))


# --------------------------------------------------------------------- users


@main.group()
def user() -> None:
    """Create users, set their passwords."""


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

    settings = _ready_settings()
    secret = password or click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    kernel = boot(settings)
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


@user.command("set-password")
@click.argument("login")
def user_set_password(login: str) -> None:
    """Give LOGIN a new password: asked twice, or read from standard input (one line).

    Their signed-in sessions end. Example: echo "$NEW" | kehu user set-password admin
    """
    from core.installer import set_password

    settings = _ready_settings()
    stdin = sys.stdin  # click.get_text_stream is deprecated (Click 8.5)
    if stdin.isatty():
        secret = click.prompt(_("New password"), hide_input=True, confirmation_prompt=True)
    else:
        secret = stdin.readline().rstrip("\r\n")
        if not secret:
            raise click.ClickException(_("no password on standard input"))
    set_password(settings, login, secret)
    click.echo(_("Password of {login} changed; their sessions are signed out.").format(
        login=login))


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


# ------------------------------------------------------------ import / export


def _exchange_model(kernel: Any, key: str) -> type:
    model = kernel.model_keys.get(key)
    if model is None:
        raise click.ClickException(_("Unknown model '{key}': use one of {keys}.").format(
            key=key, keys=", ".join(sorted(kernel.model_keys))))
    return model  # type: ignore[no-any-return]


def _exchange_actor(kernel: Any, login: str | None) -> Any:
    """The system, or the user `login` with their rights and rules (--as)."""
    import sqlalchemy as sa

    from core.context import SYSTEM, system_context
    from core.models import User
    from core.org import actor_for

    if login is None:
        return SYSTEM
    with system_context(), kernel.session() as session:
        found = session.scalar(sa.select(User).where(User.login == login))
        if found is None:
            raise click.ClickException(_("No user with login '{login}'.").format(login=login))
        return actor_for(session, found)


def _exchange_division(kernel: Any, code: str | None) -> int | None:
    import sqlalchemy as sa

    from core.context import system_context
    from core.models import Division

    if code is None:
        return None
    with system_context(), kernel.session() as session:
        division_id = session.scalar(sa.select(Division.id).where(Division.code == code))
    if division_id is None:
        raise click.ClickException(_("No division with code '{code}'.").format(code=code))
    return int(division_id)


def _echo_import(result: Any, report: Path | None) -> None:
    from core.dataexchange import error_report

    for error in result.errors[:50]:
        click.echo(_("Row {row}, {column} \"{value}\": {message}").format(
            row=error.row, column=error.column or "-", value=error.value, message=error.message))
    if len(result.errors) > 50 or result.omitted_errors:
        click.echo(_("... {count} more errors.").format(
            count=len(result.errors) - 50 + result.omitted_errors))
    if report is not None and result.errors:
        report.write_bytes(error_report(result, "xlsx" if report.suffix == ".xlsx" else "csv"))
        click.echo(_("Error report written to {path}").format(path=report))


@main.command("import")
@click.argument("model_key", metavar="MODEL")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--division", "division_code", default=None,
              help="Division code (default: the user's own; required for the system).")
@click.option("--as", "login", default=None, help="Import as this user: their rights and rules apply.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others have errors.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the row errors to this .csv or .xlsx file.")
@friendly
def import_command(model_key: str, file: Path, division_code: str | None, login: str | None,
                   valid_only: bool, report: Path | None) -> None:
    """Import a CSV (UTF-8 or GBK) or XLSX file into MODEL (e.g. crm_customer)."""
    from core.context import acting_as
    from core.dataexchange import run_import
    from core.errors import KehuError

    kernel = _kernel()
    model = _exchange_model(kernel, model_key)
    division_id = _exchange_division(kernel, division_code)
    try:
        with acting_as(_exchange_actor(kernel, login)):
            result = run_import(kernel, model, file, filename=file.name,
                                division_id=division_id, valid_only=valid_only)
    except KehuError as error:
        raise click.ClickException(error.message) from None
    _echo_import(result, report)
    if not result.committed:
        raise click.ClickException(_("Nothing was imported: {count} rows have errors.").format(
            count=result.failed_rows))
    click.echo(_("Imported {count} rows into {model} in {seconds:.1f} s.").format(
        count=result.created, model=model_key, seconds=result.seconds))


def _export_conditions(records: Any, filters: tuple[str, ...]) -> Any:
    """FIELD=VALUE arguments in the one filter grammar of every list."""
    from core.errors import ValidationError
    from core.lists import parse_filters

    params = {}
    for item in filters:
        key, sep, value = item.partition("=")
        if not sep or key.partition("__")[0] not in records.all_fields:
            raise click.ClickException(_("Not a filter: {item} (use field=value).").format(item=item))
        params[key] = value
    try:
        return tuple(parse_filters(params, records.all_fields, strict=True))
    except ValidationError as error:
        key, problem = next(iter(error.fields.items()))
        raise click.ClickException(f"{key}: {problem}") from None


@main.command("export")
@click.argument("model_key", metavar="MODEL")
@click.argument("filters", nargs=-1, metavar="[FIELD=VALUE]...")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None,
              help="File format (default: from --output, else csv).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--as", "login", default=None, help="Export as this user: their rights and rules apply.")
@friendly
def export_command(model_key: str, filters: tuple[str, ...], fmt: str | None,
                   output: Path | None, login: str | None) -> None:
    """Export MODEL's list, filtered by FIELD=VALUE (or FIELD__gte=VALUE...), as CSV or XLSX."""
    import contextlib

    from core.context import acting_as
    from core.dataexchange import export_rows
    from core.errors import KehuError
    from core.lists import ListQuery

    if output is not None and not output.parent.is_dir():
        raise click.ClickException(_("cannot write {path}: the folder {folder} does not exist")
                                   .format(path=output, folder=output.parent))
    kernel = _kernel()
    model = _exchange_model(kernel, model_key)
    records = kernel.records[model]
    fmt = fmt or ("xlsx" if output is not None and output.suffix == ".xlsx" else "csv")
    try:
        query = ListQuery(conditions=_export_conditions(records, filters), limit=None)
        with acting_as(_exchange_actor(kernel, login)), kernel.session() as session:
            blocks = export_rows(kernel, session, model, query, fmt)
            stdout = contextlib.nullcontext(sys.stdout.buffer)  # not click's deprecated helper
            with output.open("wb") if output else stdout as target:
                for block in blocks:
                    target.write(block)
    except KehuError as error:
        raise click.ClickException(error.message) from None
    if output is not None:
        click.echo(_("Wrote {path}").format(path=output), err=True)


def _add_commands() -> None:
    from core.cli_doctor import doctor
    from core.cli_jobs import jobs

    main.add_command(jobs)
    main.add_command(doctor)


_add_commands()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
