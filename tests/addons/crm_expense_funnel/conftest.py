"""Fixtures of the crm_expense_funnel tests: a template database with the bridge enabled.

HQ enables crm_funnel, crm_expense and the bridge; EAST crm_expense alone (no deals
there). The people, customers and expense types are crm_expense's test organisation
(tests/addons/crm_expense/conftest.py).
"""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.kernel import Kernel
from core.settings import load_settings
from tests.addons.crm_expense.conftest import ExpenseWorld, build_world
from tests.conftest import Templates

DIVISIONS = [
    {"code": "HQ", "name": "总部", "headquarters": True,
     "addons": ["crm_customer", "crm_funnel", "crm_expense", "crm_expense_funnel"]},
    {"code": "EAST", "name": "华东事业部", "addons": ["crm_customer", "crm_expense"]},
]


class BridgeTemplates(Templates):
    """Initialised databases with the bridge's divisions, one per backend."""

    def _build(self, backend: str, demo: bool = False) -> str:
        from core.installer import initialise

        if backend == "sqlite":
            url = f"sqlite:///{self.folder / 'expense-funnel-template.db'}"
        else:
            url = self.request.getfixturevalue("pg_server").create_database("kehu_ef_template")
        settings = load_settings(database_url=url, divisions=DIVISIONS,
                                 secret_key_file=self.folder / "secret.key",
                                 log_dir=self.folder / "log")
        initialise(settings).kernel.engine.dispose()
        gc.collect()
        return url

    def copy(self, backend: str, target: Path, *, demo: bool = False) -> str:
        if backend == "sqlite":
            return super().copy(backend, target)
        if backend not in self.urls:
            self.urls[backend] = self._build(backend)
        server = self.request.getfixturevalue("pg_server")
        return server.create_database(f"ef_{uuid.uuid4().hex[:12]}", template="kehu_ef_template")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> BridgeTemplates:
    return BridgeTemplates(tmp_path_factory.mktemp("expense-funnel-templates"), request)


@pytest.fixture()
def env_vars(env_vars: dict[str, str]) -> dict[str, str]:
    return {**env_vars, "KEHU_DIVISIONS": json.dumps(DIVISIONS, ensure_ascii=False)}


@pytest.fixture()
def world(kernel: Kernel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ExpenseWorld]:
    monkeypatch.setattr(kernel.settings, "data_dir", tmp_path / "data")
    yield build_world(kernel)
