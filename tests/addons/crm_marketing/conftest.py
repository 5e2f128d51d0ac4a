"""Fixtures of the crm_marketing tests: their own template database and organisation.

HQ enables crm_marketing with crm_funnel and crm_expense (and the ROI bridge);
EAST enables crm_marketing alone. People in HQ: 市场部 M (manager 王建国, mgr) with
刘洋 (liu.yang, marketing); 销售部 S (same manager) with rep 李娜 (li.na);
陈静 (fin, finance), 刘强 (gm, general manager). EAST: 赵敏 (east.mkt, marketing).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_marketing.models import Campaign, CampaignCategory, CampaignCostType
from core.auth.passwords import hash_password
from core.context import Actor, acting_as, system_context
from core.kernel import Kernel
from core.lookups import usable_in
from core.models import Division, Role, User
from core.org import actor_for, add_department
from core.settings import load_settings
from core.workflow import decide, fire
from core.workflow.models import ApprovalRequest, ApprovalTask
from tests.conftest import Templates

HQ_ADDONS = ["crm_customer", "crm_funnel", "crm_expense", "crm_marketing", "crm_marketing_funnel"]

DIVISIONS = [
    {"code": "HQ", "name": "总部", "addons": HQ_ADDONS, "headquarters": True},
    {"code": "EAST", "name": "华东事业部", "addons": ["crm_customer", "crm_marketing"]},
    # Extensions are mapped once per process: every addon that adds columns to the
    # models these tests write must be installed here too (enabled only in XT).
    {"code": "XT", "name": "扩展", "addons": ["crm_customer", "crm_team", "crm_funnel",
                                            "crm_channel", "crm_marketing", "crm_marketing_funnel",
                                            "crm_expense"]},
]
PASSWORD = "市场-Password-1"
PEOPLE = {  # login: (name, division, department, roles)
    "liu.yang": ("刘洋", "HQ", "M", ["marketing"]),
    "li.na": ("李娜", "HQ", "S", ["sales_rep"]),
    "mgr": ("王建国", "HQ", None, ["sales_manager"]),
    "fin": ("陈静", "HQ", None, ["finance"]),
    "gm": ("刘强", "HQ", None, ["general_manager"]),
    "east.mkt": ("赵敏", "EAST", None, ["marketing"]),
}


class MarketingTemplates(Templates):
    """Initialised databases with the marketing divisions, one per backend."""

    def _build(self, backend: str, demo: bool = False) -> str:
        from core.installer import initialise

        assert not demo, "the marketing template has no demo data"

        if backend == "sqlite":
            url = f"sqlite:///{self.folder / 'marketing-template.db'}"
        else:
            url = self.request.getfixturevalue("pg_server").create_database("kehu_mkt_template")
        settings = load_settings(database_url=url, divisions=DIVISIONS,
                                 secret_key_file=self.folder / "secret.key",
                                 log_dir=self.folder / "log")
        initialise(settings).kernel.engine.dispose()
        gc.collect()
        return url

    def copy(self, backend: str, target: Path, *, demo: bool = False) -> str:
        if backend == "sqlite":
            return super().copy(backend, target, demo=demo)
        if backend not in self.urls:
            self.urls[backend] = self._build(backend)
        server = self.request.getfixturevalue("pg_server")
        return server.create_database(f"m_{uuid.uuid4().hex[:12]}", template="kehu_mkt_template")


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> MarketingTemplates:
    return MarketingTemplates(tmp_path_factory.mktemp("marketing-templates"), request)


@pytest.fixture()
def env_vars(env_vars: dict[str, str]) -> dict[str, str]:
    return {**env_vars, "KEHU_DIVISIONS": json.dumps(DIVISIONS, ensure_ascii=False)}


@dataclass
class MarketingWorld:
    """A booted kernel with the organisation, and helpers acting as its people."""

    kernel: Kernel
    users: dict[str, int]
    divisions: dict[str, int]
    customers: dict[str, int]

    def actor(self, login: str) -> Actor:
        with system_context(), self.kernel.session() as session:
            return actor_for(session, session.get(User, self.users[login]))

    def lookup(self, model: type, code: str, division: str = "HQ") -> int:
        with system_context(), self.kernel.session() as session:
            return int(session.scalar(sa.select(model.id).where(  # type: ignore[attr-defined]
                model.code == code,  # type: ignore[attr-defined]
                usable_in(model, self.divisions[division]))  # company-wide or its own (#14)
                .order_by(model.division_id.is_(None))))  # type: ignore[attr-defined]

    def create(self, login: str, model: type, values: dict[str, Any]) -> int:
        """A record created through the records service, as the pages do."""
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            return int(self.kernel.records[model].create(session, values).id)

    def campaign(self, login: str = "liu.yang", *, name: str = "华东区技术研讨会",
                 budget: tuple[str, ...] = ("12000", "3000"), category: str = "seminar",
                 start: dt.date = dt.date(2026, 10, 15), division: str = "HQ") -> int:
        types = ["venue", "catering", "materials"]
        return self.create(login, Campaign, {
            "name": name, "category_id": self.lookup(CampaignCategory, category, division),
            "date_from": start.isoformat(),
            "date_to": (start + dt.timedelta(days=1)).isoformat(),
            "place": "杭州国际会议中心", "expected_leads": "20",
            "budget_lines": [{"cost_type_id": self.lookup(CampaignCostType, types[i], division),
                              "amount": amount, "description": types[i]}
                             for i, amount in enumerate(budget)]})

    def fire(self, login: str, model: type, record_id: int, name: str, **options: Any) -> Any:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            record = session.get(model, record_id)
            assert record is not None, f"{login} cannot see {model.__name__} {record_id}"
            return fire(session, record, name, **options)

    def tasks(self, model: type, record_id: int) -> list[ApprovalTask]:
        with system_context(), self.kernel.session() as session:
            request = session.scalar(sa.select(ApprovalRequest).where(
                ApprovalRequest.model == model.__tablename__,  # type: ignore[attr-defined]
                ApprovalRequest.res_id == record_id)
                .order_by(ApprovalRequest.round.desc()).limit(1))
            if request is None:
                return []
            return list(session.scalars(sa.select(ApprovalTask).where(
                ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence)))

    def approve_all(self, model: type, record_id: int) -> list[str]:
        """Decide every step of the latest round; return the step names."""
        deciders = {"Direct superior": "mgr", "General manager": "gm", "Finance": "fin"}
        names = []
        for task in self.tasks(model, record_id):
            names.append(task.name)
            with acting_as(self.actor(deciders[task.name])), \
                    self.kernel.sessions.begin() as session:
                decide(session, task.id, True, None)
        return names

    def state(self, model: type, record_id: int) -> str:
        with system_context(), self.kernel.session() as session:
            return str(session.get(model, record_id).state)  # type: ignore[union-attr]


def build_world(kernel: Kernel) -> MarketingWorld:
    with system_context(), kernel.sessions.begin() as session:
        divisions = {d.code: d for d in session.scalars(sa.select(Division))}
        roles = {r.code: r for r in session.scalars(sa.select(Role))}
        departments = {
            "M": add_department(session, division=divisions["HQ"], code="M", name="市场部"),
            "S": add_department(session, division=divisions["HQ"], code="S", name="销售部"),
        }
        users: dict[str, int] = {}
        for login, (name, division, department, codes) in PEOPLE.items():
            user = User(login=login, name=name, division_id=divisions[division].id,
                        department_id=departments[department].id if department else None,
                        password_hash=hash_password(PASSWORD))
            user.roles = [roles[code] for code in codes]
            session.add(user)
            session.flush()
            users[login] = user.id
        for department in departments.values():
            department.manager_id = users["mgr"]
        customers = {}
        for key, name in (("nanjing", "南京华信机电有限公司"), ("suzhou", "苏州宏达电气有限公司")):
            customer = Customer(division_id=divisions["HQ"].id, name=name, code=key.upper(),
                                owner_id=users["li.na"], department_id=departments["S"].id)
            session.add(customer)
            session.flush()
            customers[key] = customer.id
    return MarketingWorld(kernel, users, {code: d.id for code, d in divisions.items()},
                          customers)


@pytest.fixture()
def world(kernel: Kernel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MarketingWorld]:
    monkeypatch.setattr(kernel.settings, "data_dir", tmp_path / "data")
    yield build_world(kernel)


def browser(world: MarketingWorld, login: str, *, language: str = "en") -> Any:
    """A signed-in browser-like client of a fresh app on the world's kernel."""
    from starlette.testclient import TestClient

    from core.testing.web import sign_in
    from core.web.app import create_app

    client = TestClient(create_app(kernel=world.kernel), headers={"Accept-Language": language})
    return sign_in(client, login, PASSWORD)
