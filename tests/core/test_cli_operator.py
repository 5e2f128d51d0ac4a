"""An operator's mistakes get one line naming the cause and the fix, and a non-zero exit;
`--debug` shows the traceback. Also: all-or-nothing `kehu init`, `kehu user set-password`,
`kehu --version`, `kehu doctor`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import KEHU, ROOT, Cli


def _run(env: dict[str, str], *args: str, stdin: str | None = None,
         cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("KEHU_")}
    return subprocess.run([KEHU, *args], env={**clean, "KEHU_LOCALE": "en", **env}, cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=300)


def _one_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    """The single `Error:` line of a failed command (no traceback), containing `expected`."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    for text in expected:
        assert text in errors[0], errors[0]
    return errors[0]


def test_version() -> None:
    result = _run({}, "--version")
    assert result.returncode == 0 and result.stdout.strip() == "kehu 0.1.0"


def test_settings_mistakes(tmp_path: Path) -> None:
    home = {"KEHU_HOME": str(tmp_path)}
    _one_line(_run({**home, "KEHU_CONFIG": str(tmp_path / "kehu-prod.toml")}, "doctor"),
              "kehu-prod.toml, which does not exist", "unset KEHU_CONFIG")
    _one_line(_run({**home, "KEHU_DATABASE_URL": "postgresql+asyncpg://db/kehu"}, "init"),
              "unsupported driver 'postgresql+asyncpg'", "postgresql+psycopg://")
    typo = _run({**home, "KEHU_PORTT": "9000"}, "jobs", "list")
    assert ("Warning: unknown environment variable KEHU_PORTT is ignored (did you mean "
            "KEHU_PORT?)") in typo.stderr


def test_database_mistakes(tmp_path: Path) -> None:
    _one_line(_run({"KEHU_HOME": str(tmp_path),
                    "KEHU_DATABASE_URL": "postgresql+psycopg://kehu@127.0.0.1:9/kehu"},
                   "user", "create", "li.na", "--name", "李娜", "--division", "HQ"),
              "cannot connect to PostgreSQL at postgresql+psycopg://kehu@127.0.0.1:9/kehu",
              "start the server, or fix KEHU_DATABASE_URL")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    _one_line(_run({"KEHU_HOME": str(tmp_path),
                    "KEHU_DATABASE_URL": f"sqlite:///{blocker}/kehu.db"}, "init"),
              f"cannot use {blocker}", "KEHU_HOME")
    # Before `kehu init`: every command that needs the database says so.
    empty = {"KEHU_HOME": str(tmp_path / "empty")}
    csv = tmp_path / "customers.csv"
    csv.write_text("name\n华为\n", encoding="utf-8")
    for args in (["jobs", "run"], ["user", "create", "li.na", "--name", "李娜", "--division",
                                   "HQ", "--password", "long-enough-1"],
                 ["import", "crm_customer", str(csv)], ["serve"]):
        _one_line(_run(empty, *args), "does not exist: run `kehu init` first")
    # --debug shows the traceback instead.
    debug = _run(empty, "--debug", "jobs", "run")
    assert debug.returncode == 1 and "Traceback" in debug.stderr


@pytest.mark.sqlite_only
def test_a_database_that_is_behind(cli: Cli, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from core.db import make_engine

    engine = make_engine(settings.resolved_database_url)
    with engine.begin() as connection:
        for table in ("kehu_job_run", "kehu_rate_bucket", "kehu_import_job"):
            connection.execute(sa.text(f"DROP TABLE {table}"))
        connection.execute(sa.text(
            "DELETE FROM kehu_alembic_version WHERE version_num LIKE 'kehu_jobs_%'"))
    engine.dispose()
    _one_line(cli("jobs", "list", ok=False), "behind this version of Kehu (kehu_jobs)",
              "run `kehu db upgrade` first")
    _one_line(cli("db", "revision", "crm_customer", "-m", "x", ok=False), "kehu db upgrade")
    cli("db", "upgrade")
    assert "crm_customer.pool_return" in cli("jobs", "list").stdout


@pytest.mark.sqlite_only
def test_files_an_import_or_export_cannot_use(cli: Cli, tmp_path: Path) -> None:
    _one_line(cli("export", "crm_customer", "--output", str(tmp_path / "no" / "x.csv"), ok=False),
              "the folder", "does not exist")
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,不存在的列\n华为,1\n", encoding="utf-8")
    result = cli("import", "crm_customer", str(bad), "--division", "HQ", ok=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "不存在的列" in result.stdout + result.stderr


@pytest.mark.empty_db
@pytest.mark.sqlite_only
def test_a_failed_init_leaves_nothing_and_the_next_one_shows_the_password(
        env_vars: dict[str, str], tmp_path: Path) -> None:
    env = {**env_vars, "KEHU_DIVISIONS": '[{"code": "HQ", "name": "HQ", "addons": '
                                         '["crm_custmer"]}]'}
    env.pop("KEHU_ADMIN_PASSWORD")
    _one_line(_run(env, "init"), "addon 'crm_custmer', which does not exist",
              "did you mean crm_customer?")
    database = Path(env_vars["KEHU_DATABASE_URL"].removeprefix("sqlite:///"))
    assert not database.exists() and not Path(env_vars["KEHU_SECRET_KEY_FILE"]).exists()
    env["KEHU_DIVISIONS"] = '[{"code": "HQ", "name": "HQ", "addons": ["crm_customer"]}]'
    again = _run(env, "init")
    assert again.returncode == 0, again.stderr
    assert "Administrator created: login admin, password " in again.stdout


@pytest.mark.empty_db
def test_init_that_fails_midway_empties_the_database(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from core import installer
    from core.db import make_engine

    def broken(kernel):  # type: ignore[no-untyped-def]
        raise RuntimeError("demo data broke")

    monkeypatch.setattr(installer, "load_demo", broken)
    with pytest.raises(RuntimeError):
        installer.initialise(settings, demo=True)
    url = sa.make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite":
        assert not Path(url.database).exists()
    else:
        engine = make_engine(settings.resolved_database_url)
        assert sa.inspect(engine).get_table_names() == []
        engine.dispose()
    assert not settings.path(settings.secret_key_file).exists()


@pytest.mark.sqlite_only
def test_set_password_from_stdin_and_doctor(cli: Cli, settings, env_vars) -> None:  # type: ignore[no-untyped-def]
    from core.auth.passwords import verify_password
    from core.db import make_engine

    result = _run(env_vars, "user", "set-password", "admin", stdin="New-admin-pass-1\n")
    assert result.returncode == 0, result.stderr
    engine = make_engine(settings.resolved_database_url)
    with engine.connect() as connection:
        stored = connection.scalar(sa.text("SELECT password_hash FROM kehu_user "
                                           "WHERE login = 'admin'"))
    engine.dispose()
    assert verify_password(stored, "New-admin-pass-1")
    _one_line(_run(env_vars, "user", "set-password", "nobody", stdin="New-admin-pass-1\n"),
              "no user with login 'nobody'")
    _one_line(_run(env_vars, "user", "set-password", "admin", stdin="short\n"),
              "At least 8 characters")

    # The instance folder is the test's own (a clean checkout has no var/).
    doctor = Cli({**env_vars, "KEHU_HOME": str(Path(env_vars["KEHU_SECRET_KEY_FILE"]).parent)})
    missing_key = doctor("doctor", ok=False)
    assert missing_key.returncode == 1 and "FAIL  no secret key" in missing_key.stdout
    key = Path(env_vars["KEHU_SECRET_KEY_FILE"])
    key.write_text("k" * 64)
    key.chmod(0o600)
    healthy = doctor("doctor")
    assert "ok    migrations at head" in healthy.stdout
    assert "All checks passed." in healthy.stdout
