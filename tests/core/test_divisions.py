"""Installed is database-wide; enabled is per division, and hooks obey it."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

import sqlalchemy as sa

from core.installer import disable, enable, initialise, install
from core.kernel import boot
from core.models import Division
from core.settings import load_settings
from core.web.app import create_app
from tests.core.test_addons import write_addon

BOARD = '''
from core.hookspecs import hookimpl

@hookimpl
def kehu_extra_home_items(division):
    return ["notice board of " + division.code]
'''


@pytest.fixture()
def board_settings(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings with a hook-only addon `notice_board` on the addons path."""
    folder = tmp_path / "extra_addons"
    write_addon(folder, "notice_board", ["crm_customer"], body=BOARD)
    monkeypatch.setenv("KEHU_ADDONS_PATH", f'["{folder}"]')
    return load_settings()


def test_a_disabled_addons_hook_does_not_run_for_that_division(board_settings) -> None:
    initialise(board_settings)
    install(board_settings, ["notice_board"])
    kernel = boot(board_settings)
    assert enable(kernel, "notice_board", "HQ") == ["notice_board"]
    with kernel.session() as session:
        divisions = {d.code: d for d in session.scalars(sa.select(Division))}
    call = kernel.registry.hooks_for
    assert call(divisions["HQ"].id).kehu_extra_home_items(division=divisions["HQ"]) == [
        ["notice board of HQ"]
    ]
    assert call(divisions["EAST"].id).kehu_extra_home_items(division=divisions["EAST"]) == []

    client = TestClient(create_app(kernel=kernel))
    assert "notice board of HQ" in client.get("/?division=HQ").text
    assert "notice board of" not in client.get("/?division=EAST").text

    disable(kernel, "notice_board", "HQ")
    assert call(divisions["HQ"].id).kehu_extra_home_items(division=divisions["HQ"]) == []
    assert "notice board of" not in client.get("/?division=HQ").text


def test_home_lists_only_the_divisions_enabled_addons(kernel) -> None:
    client = TestClient(create_app(kernel=kernel))
    east = client.get("/?division=EAST", headers={"Accept-Language": "en"}).text
    hq = client.get("/?division=HQ", headers={"Accept-Language": "en"}).text
    assert "crm_funnel" in east and "crm_expense" not in east
    assert "crm_expense" in hq
    health = client.get("/health").json()
    assert health["status"] == "ok"
    assert health["addons"][0] == "crm_customer"
