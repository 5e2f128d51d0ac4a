"""Browser tests: a real `kehu serve` on a demo database, driven in headless Chromium.

Chromium is Debian's (`make test` installs it); Playwright only drives it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import KEHU, ROOT

# The session's Chromium is tests/conftest.py's `browser` (one Playwright per worker).
DEMO_PASSWORD = "kehu-demo-2026"
SHOTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a `kehu` command on a fresh demo database under `folder`."""
    env = {**os.environ, "KEHU_DATABASE_URL": f"sqlite:///{folder / 'kehu.db'}",
           "KEHU_SECRET_KEY_FILE": str(folder / "secret.key"), "KEHU_LOG_DIR": str(folder / "log"),
           "KEHU_LOCALE": "zh_CN", "KEHU_DEMO_PASSWORD": DEMO_PASSWORD,
           # Periodic jobs would write while the browser reads; tests run them themselves.
           "KEHU_JOBS_RUNNER": "off", **extra}
    env.pop("KEHU_DIVISIONS", None)
    return env


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """Run `kehu serve` with `env` on a free port until the block ends; yield its base URL."""
    port = _free_port()
    process = subprocess.Popen([KEHU, "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    # Generous: a loaded 2-core CI machine took 28 s to boot every addon.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("kehu serve did not start")
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a running server on a fresh demo database."""
    env = demo_env(tmp_path_factory.mktemp("e2e"))
    subprocess.run([KEHU, "init", "--demo"], env=env, check=True, cwd=ROOT, capture_output=True)
    with serving(env) as base:
        yield base


@pytest.fixture()
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                  base_url=server)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, login: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url("**/")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


__all__ = ["sign_in", "shot"]
