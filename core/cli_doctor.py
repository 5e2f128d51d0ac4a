"""`kehu doctor`: is this instance ready to serve? Each check says what to do."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

import click
import sqlalchemy as sa

from core.i18n import _
from core.settings import Settings


@dataclass(frozen=True)
class Finding:
    """One check: ok, or a problem and its fix."""

    ok: bool
    what: str
    fix: str = ""
    warning: bool = False


def _instance(settings: Settings) -> Iterator[Finding]:
    home = settings.home
    if not home.is_dir():
        yield Finding(False, _("instance folder {path} does not exist").format(path=home),
                      _("run `kehu init`, or set KEHU_HOME to the instance folder"))
    elif not os.access(home, os.W_OK):
        yield Finding(False, _("instance folder {path} is not writable").format(path=home),
                      _("give this user write access to it"))
    else:
        yield Finding(True, _("instance folder {path}").format(path=home))


def _secret_key(settings: Settings) -> Iterator[Finding]:
    path = settings.path(settings.secret_key_file)
    if not path.is_file():
        yield Finding(False, _("no secret key at {path}").format(path=path),
                      _("run `kehu init` (it writes one)"))
        return
    if len(path.read_text().strip()) < 32:
        yield Finding(False, _("the secret key in {path} is too short").format(path=path),
                      _("delete it and run `kehu init` (signed-in users sign in again)"))
        return
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        yield Finding(False, _("the secret key {path} is readable by others").format(path=path),
                      _("chmod 600 {path}").format(path=path), warning=True)
        return
    yield Finding(True, _("secret key {path}").format(path=path))


def _database(settings: Settings) -> Iterator[Finding]:
    from core.addons import discover
    from core.cli_errors import explain, pending_branches
    from core.db import make_engine
    from core.kernel import read_installed
    from core.migrate import VERSION_TABLE

    url = sa.make_url(settings.resolved_database_url)
    label = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        from pathlib import Path

        if not Path(url.database).is_file():
            yield Finding(False, _("the database file {path} does not exist").format(
                path=url.database), _("run `kehu init`, or set KEHU_HOME to the instance folder"))
            return
    engine = make_engine(settings.resolved_database_url)
    try:
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            initialised = sa.inspect(engine).has_table(VERSION_TABLE)
        except Exception as error:  # noqa: BLE001  (any failure: the explanation is the finding)
            yield Finding(False, explain(error, settings))
            return
        yield Finding(True, _("database reachable: {url}").format(url=label))
        if not initialised:
            yield Finding(False, _("the database is not initialised"), _("run `kehu init`"))
            return
        installed = read_installed(engine)
        behind = pending_branches(engine, settings, installed)
        if behind:
            yield Finding(False, _("migrations pending: {names}").format(names=", ".join(behind)),
                          _("run `kehu db upgrade`"))
        else:
            yield Finding(True, _("migrations at head"))
        catalog = discover(addons_path=[settings.path(p) for p in settings.addons_path])
        broken = [name for name in installed if name not in catalog or not catalog[name].ok]
        for name in broken:
            reason = catalog[name].error if name in catalog else _("not found")
            yield Finding(False, _("installed addon {name} cannot be loaded: {reason}").format(
                name=name, reason=reason), _("reinstall its package, or `kehu addons "
                                             "uninstall {name}`").format(name=name))
        if not broken:
            yield Finding(True, _("addons loaded: {names}").format(names=", ".join(installed)))
        yield from _queue(settings, engine)
    finally:
        engine.dispose()


def _queue(settings: Settings, engine: sa.Engine) -> Iterator[Finding]:
    if not settings.queue_jobs:
        yield Finding(True, _("jobs run inside `kehu serve` (in-process runner)"))
        return
    from core.jobqueue import queue_schema_ready

    if queue_schema_ready(engine):
        yield Finding(True, _("job queue ready: start job workers with `kehu jobs worker`"))
    else:
        yield Finding(False, _("the job queue's tables are missing"), _("run `kehu db upgrade`"))


def _charts() -> Iterator[Finding]:
    from core.web.pages import chart_library_available

    if chart_library_available():
        yield Finding(True, _("chart library (ECharts) present"))
    else:
        yield Finding(False, _("the chart library (ECharts) is missing: report pages show "
                               "tables only"), _("run `make setup`, or install a wheel built "
                                                 "by `make wheel`"), warning=True)


def diagnose(settings: Settings) -> list[Finding]:
    """Every check, in order."""
    return [*_instance(settings), *_secret_key(settings), *_database(settings), *_charts()]


@click.command()
def doctor() -> None:
    """Check the instance folder, secret key, database, migrations, addons and job queue."""
    from core.cli import _settings

    findings = diagnose(_settings())
    for finding in findings:
        mark = "ok  " if finding.ok else ("warn" if finding.warning else "FAIL")
        line = f"{mark}  {finding.what}"
        if finding.fix:
            line += f" → {finding.fix}"
        click.echo(line)
    failed = [finding for finding in findings if not finding.ok and not finding.warning]
    if failed:
        raise click.ClickException(_("{count} problems found").format(count=len(failed)))
    click.echo(_("All checks passed."))
