"""`kehu scaffold` creates an addon that installs and passes its own test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import KEHU, ROOT


def test_scaffolded_addon_passes_its_own_test(tmp_path: Path) -> None:
    env = {**os.environ, "KEHU_LOCALE": "en"}
    created = subprocess.run(
        [KEHU, "scaffold", "sales_board", "--dest", str(tmp_path)],
        env=env, capture_output=True, text=True, cwd=ROOT, check=True,
    )
    package = tmp_path / "kehu_sales_board"
    assert f"Created {package}" in created.stdout
    for part in ("pyproject.toml", "kehu_sales_board/__init__.py", "kehu_sales_board/models.py",
                 "kehu_sales_board/views.py",
                 "kehu_sales_board/migrations/sales_board_0001_initial.py", "tests/test_sales_board.py"):
        assert (package / part).is_file(), part
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        env=env, capture_output=True, text=True, cwd=package, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


@pytest.mark.parametrize(("name", "message"), [("Bad-Name", "not a valid addon name")])
def test_scaffold_refuses_a_bad_name_and_an_existing_folder(tmp_path: Path, name: str, message: str) -> None:
    env = {**os.environ, "KEHU_LOCALE": "en"}
    bad = subprocess.run([KEHU, "scaffold", name, "--dest", str(tmp_path)],
                         env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and message in bad.stderr
    (tmp_path / "kehu_taken").mkdir()
    taken = subprocess.run([KEHU, "scaffold", "taken", "--dest", str(tmp_path)],
                           env=env, capture_output=True, text=True)
    assert taken.returncode == 1 and "exists already" in taken.stderr
