"""Shared fixtures: databases (SQLite and a real PostgreSQL), settings, kernel, CLI."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import i18n
from core.kernel import Kernel
from core.settings import Settings, get_settings, load_settings
from core.testing.pgserver import PgServer

ROOT = Path(__file__).resolve().parent.parent
DATABASES = [name for name in os.environ.get("KEHU_TEST_DBS", "sqlite,postgresql").split(",") if name]
ADMIN_PASSWORD = "管理员-Admin-2026"
os.environ["KEHU_ADMIN_PASSWORD"] = ADMIN_PASSWORD
DEMO_PASSWORD = "kehu-demo-2026"
KEHU = str(Path(sys.executable).parent / "kehu")

TEST_DIVISIONS = [
    {"code": "HQ", "name": "总部", "addons": ["crm_customer", "crm_funnel", "crm_expense", "crm_channel"],
     "headquarters": True},
    {"code": "EAST", "name": "华东事业部", "addons": ["crm_customer", "crm_funnel"]},
]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer().start()
    yield server
    server.stop()


class Templates:
    """One initialised database per backend, built once and copied per test."""

    def __init__(self, folder: Path, request: pytest.FixtureRequest) -> None:
        self.folder = folder
        self.request = request
        self.urls: dict[str, str] = {}

    def _build(self, backend: str, demo: bool = False) -> str:
        from core.installer import initialise

        name = "template_demo" if demo else "template"
        if backend == "sqlite":
            url = f"sqlite:///{self.folder / f'{name}.db'}"
        else:
            url = self.request.getfixturevalue("pg_server").create_database(f"kehu_{name}")
        if demo:  # as `kehu init --demo` builds it, once per worker and engine
            env = {**os.environ, "KEHU_DATABASE_URL": url, "KEHU_LOCALE": "en",
                   "KEHU_SECRET_KEY_FILE": str(self.folder / "secret.key"),
                   "KEHU_LOG_DIR": str(self.folder / "log"), "KEHU_ADMIN_PASSWORD": ADMIN_PASSWORD,
                   "KEHU_DIVISIONS": json.dumps(TEST_DIVISIONS, ensure_ascii=False)}
            subprocess.run([KEHU, "init", "--demo"], env=env, cwd=ROOT, check=True,
                           capture_output=True, timeout=600)
            return url
        settings = load_settings(
            database_url=url,
            divisions=TEST_DIVISIONS,
            secret_key_file=self.folder / "secret.key",
            log_dir=self.folder / "log",
        )
        initialise(settings).kernel.engine.dispose()
        gc.collect()  # no stray engine may keep a connection to the template
        return url

    def copy(self, backend: str, target: Path, *, demo: bool = False) -> str:
        key = f"{backend}-demo" if demo else backend
        if key not in self.urls:
            # Subclasses (an addon's own templates) override `_build(backend)` only.
            self.urls[key] = self._build(backend, demo=True) if demo else self._build(backend)
        if backend == "sqlite":
            source = sqlite3.connect(self.urls[key].removeprefix("sqlite:///"))
            destination = sqlite3.connect(target / "kehu.db")
            source.backup(destination)
            source.close()
            destination.close()
            return f"sqlite:///{target / 'kehu.db'}"
        server: PgServer = self.request.getfixturevalue("pg_server")
        return server.create_database(f"t_{uuid.uuid4().hex[:12]}",
                                      template="kehu_template_demo" if demo else "kehu_template")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"), request)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run a test on one engine only where it says so (`sqlite_only`, `postgres_only`):
    a PostgreSQL run where the engine matters, not every test twice by habit."""
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        if item.nodeid.startswith("tests/e2e/"):
            # One worker runs every browser test (`--dist loadgroup`): one demo server and
            # one Chromium in the run instead of one per worker.
            item.add_marker(pytest.mark.xdist_group("browser"))
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("backend") if callspec is not None else None
        if (engine == "postgresql" and item.get_closest_marker("sqlite_only") is not None) or (
                engine == "sqlite" and item.get_closest_marker("postgres_only") is not None):
            dropped.append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(params=DATABASES)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _copy(templates: Templates, backend: str, target: Path, demo: bool) -> str:
    """An addon's own templates (a subclass) know `copy(backend, target)` only."""
    return templates.copy(backend, target, demo=True) if demo else templates.copy(backend, target)


@pytest.fixture()
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path,
           templates: Templates) -> Iterator[str]:
    """The test's database: a copy of an initialised one (divisions HQ, EAST; admin),
    an empty one for tests marked `empty_db`, or one with the demo data (`kehu init
    --demo`, built once per worker) for tests marked `demo_db`. A PostgreSQL one is
    dropped after the test (a worker's server otherwise holds ~20 MB per test until the
    end of the run, and deleting gigabytes at once made the last test's teardown take
    60–77 s)."""
    empty = request.node.get_closest_marker("empty_db") is not None
    demo = request.node.get_closest_marker("demo_db") is not None
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'kehu.db'}" if empty else _copy(templates, backend, tmp_path, demo)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    if not empty:
        url = _copy(templates, backend, tmp_path, demo)
    else:
        url = server.create_database(f"t_{uuid.uuid4().hex[:12]}")
    yield url
    server.drop_database(url.rsplit("/", 1)[1].split("?", 1)[0])


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Tests read messages in English unless they switch locale themselves; and no test
    inherits the process's cached settings of another test's database (an in-process
    `kehu` command reads them through `get_settings`)."""
    get_settings.cache_clear()
    with i18n.using_locale("en"):
        yield
    get_settings.cache_clear()


@pytest.fixture()
def env_vars(db_url: str, tmp_path: Path) -> dict[str, str]:
    """The KEHU_* variables that point a process at the test database."""

    return {
        "KEHU_DATABASE_URL": db_url,
        "KEHU_SECRET_KEY_FILE": str(tmp_path / "secret.key"),
        "KEHU_LOG_DIR": str(tmp_path / "log"),
        "KEHU_LOCALE": "en",
        "KEHU_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "KEHU_DIVISIONS": json.dumps(TEST_DIVISIONS, ensure_ascii=False),
    }


@pytest.fixture()
def settings(env_vars: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key, value in env_vars.items():
        monkeypatch.setenv(key, value)
    return load_settings()


@pytest.fixture()
def kernel(settings: Settings) -> Iterator[Kernel]:
    """The kernel booted on the test's (initialised) database."""
    from core.kernel import boot

    kernel = boot(settings)
    yield kernel
    kernel.engine.dispose()


class Cli:
    """Runs the real `kehu` command against the test database."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = {**os.environ, **env}

    def __call__(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [KEHU, *args], env=self.env, capture_output=True, text=True, cwd=ROOT, timeout=300
        )
        if ok and result.returncode != 0:
            raise AssertionError(f"kehu {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result


@pytest.fixture()
def cli(env_vars: dict[str, str]) -> Cli:
    return Cli(env_vars)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium for the worker's browser tests. One Playwright per process: a
    second sync_playwright() while this one lives fails ("inside the asyncio loop")."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is missing: run `bash scripts/system-deps.sh` (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
