"""Fixtures of the crm_team_expense tests: a template database with the bridge enabled.

HQ enables crm_team, crm_expense and the bridge; EAST crm_team alone. The people
and customers are crm_team's test organisation (tests/addons/crm_team/conftest.py)
with 陈静 (fin, finance) added, who approves claims after the superior.
"""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.auth.passwords import hash_password
from core.context import system_context
from core.kernel import Kernel
from core.models import Division, Role, User
from core.settings import load_settings
from tests.addons.crm_team.conftest import PASSWORD, TeamWorld, build_world
from tests.conftest import Templates

DIVISIONS = [
    {"code": "HQ", "name": "总部", "headquarters": True,
     "addons": ["crm_customer", "crm_team", "crm_expense", "crm_team_expense"]},
    {"code": "EAST", "name": "华东事业部", "addons": ["crm_customer", "crm_team"]},
    # Other test modules of the same process map every addon's extension columns: install
    # the addons that extend the models written here too (enabled only in XT), so a
    # customer changed here has them (as tests/addons/crm_marketing/conftest.py does).
    {"code": "XT", "name": "扩展", "addons": ["crm_customer", "crm_team", "crm_funnel",
                                            "crm_channel", "crm_marketing", "crm_marketing_funnel",
                                            "crm_expense", "crm_team_expense"]},
]


class BridgeTemplates(Templates):
    """Initialised databases with the bridge's divisions, one per backend."""

    def _build(self, backend: str) -> str:
        from core.installer import initialise

        if backend == "sqlite":
            url = f"sqlite:///{self.folder / 'team-expense-template.db'}"
        else:
            url = self.request.getfixturevalue("pg_server").create_database("kehu_tx_template")
        settings = load_settings(database_url=url, divisions=DIVISIONS,
                                 secret_key_file=self.folder / "secret.key",
                                 log_dir=self.folder / "log")
        initialise(settings).kernel.engine.dispose()
        gc.collect()
        return url

    def copy(self, backend: str, target: Path) -> str:
        if backend == "sqlite":
            return super().copy(backend, target)
        if backend not in self.urls:
            self.urls[backend] = self._build(backend)
        server = self.request.getfixturevalue("pg_server")
        return server.create_database(f"tx_{uuid.uuid4().hex[:12]}", template="kehu_tx_template")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> BridgeTemplates:
    return BridgeTemplates(tmp_path_factory.mktemp("team-expense-templates"), request)


@pytest.fixture()
def env_vars(env_vars: dict[str, str]) -> dict[str, str]:
    return {**env_vars, "KEHU_DIVISIONS": json.dumps(DIVISIONS, ensure_ascii=False)}


@pytest.fixture()
def world(kernel: Kernel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamWorld]:
    monkeypatch.setattr(kernel.settings, "data_dir", tmp_path / "data")
    world = build_world(kernel)
    with system_context(), kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division.id).where(Division.code == "HQ"))
        finance = session.scalar(sa.select(Role).where(Role.code == "finance"))
        fin = User(login="fin", name="陈静", division_id=hq, password_hash=hash_password(PASSWORD))
        fin.roles = [finance]
        session.add(fin)
        session.flush()
        world.users["fin"] = fin.id
    yield world
