"""Fixtures of the crm_customer tests: their own template database (HQ and EAST with
crm_customer, and a small test addon in HQ; no other built-in addon, so the tests do
not depend on addons written in parallel), the two-division organisation, callers."""

from __future__ import annotations

import functools
import gc
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.kernel import Kernel
from core.settings import load_settings
from core.web.app import create_app
from tests.addons.crm_customer.customer_fixtures import Caller
from tests.conftest import Templates
from tests.core.org_fixtures import Org, build_org

# cust_visit, a test addon, adds a tab to the customer form in HQ only.
ADDONS = Path(__file__).parent / "tab_addons"
DIVISIONS = [
    {"code": "HQ", "name": "总部", "addons": ["crm_customer", "cust_visit"],
     "headquarters": True},
    {"code": "EAST", "name": "华东事业部", "addons": ["crm_customer"]},
    # Extensions are mapped once per process: every addon that adds columns to the
    # models these tests write must be installed here too (enabled only in XT).
    {"code": "XT", "name": "扩展", "addons": ["crm_customer", "crm_team", "crm_funnel",
                                            "crm_channel", "crm_marketing", "crm_marketing_funnel",
                                            "crm_expense"]},
]


class CustomerTemplates(Templates):
    """Initialised databases with crm_customer only, one per backend."""

    def _build(self, backend: str) -> str:
        from core.installer import initialise

        if backend == "sqlite":
            url = f"sqlite:///{self.folder / 'customer-template.db'}"
        else:
            url = self.request.getfixturevalue("pg_server").create_database("kehu_cust_template")
        settings = load_settings(database_url=url, divisions=DIVISIONS, addons_path=[ADDONS],
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
        return server.create_database(f"c_{uuid.uuid4().hex[:12]}", template="kehu_cust_template")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> CustomerTemplates:
    return CustomerTemplates(tmp_path_factory.mktemp("customer-templates"), request)


@pytest.fixture()
def env_vars(env_vars: dict[str, str]) -> dict[str, str]:
    """The kernel's test variables, with these divisions and the tab test addon."""
    return {**env_vars, "KEHU_DIVISIONS": json.dumps(DIVISIONS, ensure_ascii=False),
            "KEHU_ADDONS_PATH": json.dumps([str(ADDONS)])}


@pytest.fixture()
def org(kernel: Kernel) -> Org:
    return build_org(kernel)


@pytest.fixture()
def app(kernel: Kernel, org: Org) -> Starlette:
    return create_app(kernel=kernel)


@pytest.fixture()
def client(app: Starlette) -> TestClient:
    return TestClient(app, base_url="http://testserver")


@pytest.fixture()
def as_user(client: TestClient) -> Callable[..., Caller]:
    return functools.partial(Caller, client)
