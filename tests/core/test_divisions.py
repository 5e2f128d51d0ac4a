"""Installed is database-wide; enabled is per division, and hooks obey it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core.context import system_context
from core.installer import disable, enable, initialise, install
from core.kernel import boot
from core.models import Division
from core.org import create_user
from core.settings import load_settings
from core.testing.web import sign_in
from core.web.app import create_app
from tests.core.test_addons import write_addon

PASSWORD = "员工-Password-1"

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

    app = create_app(kernel=kernel)
    hq_user, east_user = (staff(kernel, "HQ"), staff(kernel, "EAST"))
    hq = sign_in(TestClient(app), hq_user, PASSWORD)
    east = sign_in(TestClient(app), east_user, PASSWORD)
    assert "notice board of HQ" in hq.get("/").text
    assert "notice board of" not in east.get("/").text

    disable(kernel, "notice_board", "HQ")
    assert call(divisions["HQ"].id).kehu_extra_home_items(division=divisions["HQ"]) == []
    assert "notice board of" not in hq.get("/").text


def test_home_lists_only_the_divisions_enabled_addons(kernel) -> None:
    app = create_app(kernel=kernel)
    east = sign_in(TestClient(app), staff(kernel, "EAST"), PASSWORD).get(
        "/", headers={"Accept-Language": "en"}).text
    hq = sign_in(TestClient(app), staff(kernel, "HQ"), PASSWORD).get(
        "/", headers={"Accept-Language": "en"}).text
    # The workbench (#18) lists no addon ids for staff: the main menu shows what is on.
    assert 'href="/m/crm_opportunity"' in east and 'href="/m/crm_expense_claim"' not in east
    assert 'href="/m/crm_expense_claim"' in hq
    health = TestClient(app).get("/health").json()
    assert health["status"] == "ok"
    assert health["addons"][0] == "crm_customer"


def staff(kernel, division_code: str) -> str:
    """A sales rep of the division; returns the login."""
    login = f"rep.{division_code.lower()}"
    with system_context(), kernel.sessions.begin() as session:
        create_user(session, login=login, name=login, division_code=division_code,
                    password=PASSWORD, roles=["sales_rep"])
    return login
