"""Kehu installed from its wheel, outside the checkout: `kehu init --demo` in an empty folder,
serve, sign in, draw a chart.

The wheel is built from the checkout's files (those git tracks or would track, plus
ECharts, which `make setup` fetches) and installed without dependencies into a fresh
virtualenv; the dependencies come from the test's own virtualenv through a .pth line,
which adds its site-packages as a plain folder (so the checkout's editable install is
not seen). Nothing of the checkout is on the path: the package must carry its settings,
templates, translations, migrations, data and static files. The wheel is kept under
build/test-wheel/ and built again only when a packaged file changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT

ADMIN_PASSWORD = "Wheel-admin-2026"
VENDOR = ROOT / "core" / "web" / "static" / "vendor"


def _source_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    vendor = [str(path.relative_to(ROOT)) for path in VENDOR.glob("*") if path.is_file()]
    return sorted({*listed, *vendor})


WHEEL_CACHE = ROOT / "build" / "test-wheel"


def _packaged_files() -> list[str]:
    return [name for name in _source_files()
            if (ROOT / name).is_file() and not name.startswith(("tests/", "bench/", "docs/"))]


def _fingerprint(names: list[str]) -> str:
    """A hash of the packaged files' names and contents: the wheel is rebuilt when it changes."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _build_wheel(folder: Path) -> Path:
    """The wheel of the checkout's files as they are now; built once per content (#20:
    pip's isolated build costs a minute on a loaded machine), kept under build/."""
    names = _packaged_files()
    cached = WHEEL_CACHE / _fingerprint(names)
    found = list(cached.glob("kehu-*.whl")) if cached.is_dir() else []
    if found:
        return found[0]
    source = folder / "src"
    for name in names:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(folder / "dist"), str(source)], check=True, capture_output=True)
    wheel = next((folder / "dist").glob("kehu-*.whl"))
    shutil.rmtree(WHEEL_CACHE, ignore_errors=True)  # one wheel kept: the latest
    cached.mkdir(parents=True)
    return Path(shutil.copy2(wheel, cached / wheel.name))


def _fresh_venv(folder: Path, wheel: Path) -> Path:
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", str(wheel)], check=True, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)
    Path(site.stdout.strip(), "kehu-test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.e2e
def test_the_wheel_installs_and_serves_outside_the_checkout(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    if not (VENDOR / "echarts.min.js").is_file():
        pytest.fail("ECharts is missing from core/web/static/vendor: run `make setup`")
    wheel = _build_wheel(tmp_path)
    venv = _fresh_venv(tmp_path, wheel)
    kehu = str(venv / "bin" / "kehu")
    instance = tmp_path / "somewhere"
    instance.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("KEHU_")}
    env.update(KEHU_ADMIN_PASSWORD=ADMIN_PASSWORD, KEHU_LOCALE="en")

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import core; print(core.__file__)"],
                           cwd=instance, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(venv)), where.stdout
    version = subprocess.run([kehu, "--version"], env=env, capture_output=True, text=True)
    assert version.stdout.strip() == "kehu 0.1.0"

    # Generous limits: the machine running the suite may be loaded many times over.
    init = subprocess.run([kehu, "init", "--demo"], cwd=instance, env=env, capture_output=True,
                          text=True, timeout=900)
    assert init.returncode == 0, init.stderr[-3000:]
    # No KEHU_HOME: the instance folder is ./var, and the command says so.
    assert f"Instance folder: {instance / 'var'} (KEHU_HOME is not set)" in init.stderr
    assert "crm_funnel" in init.stdout  # the packaged settings' divisions and addons
    assert {"kehu.db", "secret.key"} <= {path.name for path in (instance / "var").iterdir()}
    assert not list(venv.rglob("secret.key"))

    port = _free_port()
    server = subprocess.Popen([kehu, "serve", "--port", str(port)], cwd=instance, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)  # not up yet: ask again
            assert server.poll() is None, server.stderr.read().decode()[-3000:]  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "kehu serve did not answer"
            time.sleep(0.3)
        assert httpx.get(base + "/static/vendor/echarts.min.js").status_code == 200

        page = browser.new_page(base_url=base, viewport={"width": 1440, "height": 900})
        page.set_default_timeout(90000)  # a loaded machine: slow, not broken
        page.goto("/login")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto("/r/funnel_stages")
        page.wait_for_selector("[data-report-chart][data-drawn=true] canvas", timeout=90000)
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
