"""The sample approvable document and a small organisation, for the workflow tests.

The sample addons live in tests/core/workflow_addons (on the addons path):
`wf_expense` (enabled in HQ and EAST) and `wf_extra` (HQ only). A database
with both installed and the organisation below is built once per backend
and copied for each test.

EAST  销售部 S (manager mgr, whose superior is gm.east)
        └ 销售一组 S1 (manager lead): reps li.na, wang.qiang; deputy
      fin, fin2 (finance), gm.east (general manager)
HQ    总部 H (manager hq.mgr): hq.rep; hq.fin; auditor (service)
"""

from __future__ import annotations

import datetime as dt
import decimal
import gc
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core.auth.passwords import hash_password
from core.context import Actor, acting_as, system_context
from core.installer import enable, install
from core.kernel import Kernel, boot
from core.models import Division, Role, User
from core.org import actor_for, add_department
from core.settings import Settings, load_settings
from core.workflow import decide, fire
from core.workflow.models import ApprovalChain, ApprovalDelegation, ApprovalTask, ChainStep
from tests.conftest import TEST_DIVISIONS

ADDONS = Path(__file__).parent / "workflow_addons"
PASSWORD = "审批-Password-1"
PEOPLE = {  # login: (division, department, roles)
    "li.na": ("EAST", "S1", ["sales_rep"]),
    "wang.qiang": ("EAST", "S1", ["sales_rep"]),
    "deputy": ("EAST", "S1", ["sales_manager"]),
    "lead": ("EAST", "S1", ["sales_manager"]),
    "mgr": ("EAST", "S", ["sales_manager"]),
    "fin": ("EAST", None, ["finance"]),
    "fin2": ("EAST", None, ["finance"]),
    "gm.east": ("EAST", None, ["general_manager"]),
    "hq.rep": ("HQ", "H", ["sales_rep"]),
    "hq.mgr": ("HQ", "H", ["sales_manager"]),
    "hq.fin": ("HQ", None, ["finance"]),
    "auditor": ("HQ", None, ["service"]),
}


def wf_settings(url: str, folder: Path) -> Settings:
    return load_settings(database_url=url, divisions=TEST_DIVISIONS, addons_path=[ADDONS],
                         secret_key_file=folder / "secret.key", log_dir=folder / "log")


def _departments(session: Any, divisions: dict[str, Division]) -> dict[str, Any]:
    sales = add_department(session, division=divisions["EAST"], code="S", name="销售部")
    team = add_department(session, division=divisions["EAST"], code="S1", name="销售一组",
                          parent=sales)
    head = add_department(session, division=divisions["HQ"], code="H", name="总部销售")
    return {"S": sales, "S1": team, "H": head}


def build_org(kernel: Kernel) -> dict[str, int]:
    """The users above; returns login → id."""
    with system_context(), kernel.sessions.begin() as session:
        divisions = {d.code: d for d in session.scalars(sa.select(Division))}
        roles = {r.code: r for r in session.scalars(sa.select(Role))}
        departments = _departments(session, divisions)
        users: dict[str, int] = {}
        for login, (division, department, role_codes) in PEOPLE.items():
            user = User(login=login, name=login, division_id=divisions[division].id,
                        department_id=departments[department].id if department else None,
                        password_hash=hash_password(PASSWORD))
            user.roles = [roles[code] for code in role_codes]
            session.add(user)
            session.flush()
            users[login] = user.id
        departments["S"].manager_id = users["mgr"]
        departments["S1"].manager_id = users["lead"]
        departments["H"].manager_id = users["hq.mgr"]
        session.get(User, users["mgr"]).manager_id = users["gm.east"]
        users["admin"] = session.scalar(sa.select(User.id).where(User.login == "admin"))
    return users


_BUILT: dict[str, tuple[str, dict[str, int]]] = {}


def _disconnect(url: str) -> None:
    """End connections the installer's throw-away kernels left open (a template must have none)."""
    engine = sa.create_engine(sa.make_url(url).set(database="postgres"))
    with engine.connect() as connection:
        connection.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"),
            {"name": sa.make_url(url).database})
        connection.commit()
    engine.dispose()


class WorkflowTemplates:
    """One database per backend with the sample addons and the organisation."""

    def __init__(self, templates: Any, factory: pytest.TempPathFactory,
                 request: pytest.FixtureRequest) -> None:
        self.templates, self.factory, self.request = templates, factory, request
        # Shared by every test module that imports the fixture (one build per session).
        self.built = _BUILT

    def _build(self, backend: str) -> tuple[str, dict[str, int]]:
        folder = self.factory.mktemp(f"wf_{backend}")
        gc.collect()  # kernels the installer booted hold connections until collected
        url = self.templates.copy(backend, folder)
        settings = wf_settings(url, folder)
        install(settings, ["wf_expense", "wf_extra"])
        kernel = boot(settings)
        for code in ("HQ", "EAST"):
            enable(kernel, "wf_expense", code)
        enable(kernel, "wf_extra", "HQ")
        users = build_org(kernel)
        kernel.engine.dispose()
        if backend != "sqlite":
            _disconnect(url)
        return url, users

    def copy(self, backend: str, target: Path) -> tuple[str, dict[str, int]]:
        if backend not in self.built:
            self.built[backend] = self._build(backend)
        url, users = self.built[backend]
        if backend == "sqlite":
            source = sqlite3.connect(url.removeprefix("sqlite:///"))
            destination = sqlite3.connect(target / "wf.db")
            source.backup(destination)
            source.close()
            destination.close()
            return f"sqlite:///{target / 'wf.db'}", users
        server = self.request.getfixturevalue("pg_server")
        template = sa.make_url(url).database
        return server.create_database(f"w_{uuid.uuid4().hex[:12]}", template=template), users


@dataclass
class Flow:
    """A booted kernel on a copy of the workflow database, and helpers."""

    kernel: Kernel
    users: dict[str, int]
    backend: str

    @property
    def model(self) -> type:
        return expense_model(self.kernel)

    def actor(self, login: str) -> Actor:
        with system_context(), self.kernel.session() as session:
            return actor_for(session, session.get(User, self.users[login]))

    def division(self, code: str) -> int:
        with self.kernel.session() as session:
            return int(session.scalar(sa.select(Division.id).where(Division.code == code)))

    def note(self, login: str, amount: str = "100", title: str = "出差报销") -> int:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            record = expense_model(self.kernel)(title=title, amount=decimal.Decimal(amount))
            session.add(record)
            session.flush()
            return int(record.id)

    def load(self, session: Any, note_id: int) -> Any:
        return session.get(expense_model(self.kernel), note_id)

    def fire(self, login: str, note_id: int, name: str, **options: Any) -> Any:
        """Fire as `login` (the note is loaded whatever they may see: fire checks that)."""
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            with system_context():
                record = self.load(session, note_id)
            return fire(session, record, name, **options)

    def decide(self, login: str, task_id: int, approve: bool, comment: str | None = None) -> Any:
        with acting_as(self.actor(login)), self.kernel.sessions.begin() as session:
            return decide(session, task_id, approve, comment)

    def state(self, note_id: int) -> str:
        with system_context(), self.kernel.session() as session:
            return str(self.load(session, note_id).state)

    def tasks(self, note_id: int, round_: int | None = None) -> list[ApprovalTask]:
        """The note's tasks (latest round unless `round_`), in order."""
        from core.workflow.models import ApprovalRequest

        with system_context(), self.kernel.session() as session:
            requests = list(session.scalars(sa.select(ApprovalRequest).where(
                ApprovalRequest.model == "wf_expense_note", ApprovalRequest.res_id == note_id)
                .order_by(ApprovalRequest.round)))
            if not requests:
                return []
            request = requests[-1] if round_ is None else requests[round_ - 1]
            return list(session.scalars(sa.select(ApprovalTask).where(
                ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence)))

    def chain(self, division: str, steps: list[dict[str, Any]], *, name: str = "chain") -> int:
        """An active chain for expense notes in `division`, set up by the admin."""
        with acting_as(self.actor("admin")), self.kernel.sessions.begin() as session:
            chain = ApprovalChain(name=name, model="wf_expense_note", transition="submit",
                                  division_id=self.division(division))
            session.add(chain)
            session.flush()
            for index, values in enumerate(steps, start=1):
                session.add(ChainStep(chain_id=chain.id, sequence=index * 10,
                                      division_id=chain.division_id,
                                      **{"name": values.get("kind", "step"), **values}))
            return int(chain.id)

    def delegate(self, absent: str, delegate: str) -> None:
        today = dt.date.today()
        with acting_as(self.actor("admin")), self.kernel.sessions.begin() as session:
            session.add(ApprovalDelegation(
                user_id=self.users[absent], delegate_id=self.users[delegate],
                date_from=today - dt.timedelta(days=1), date_to=today + dt.timedelta(days=1),
                division_id=self.division("EAST")))


def expense_model(kernel: Kernel) -> type:
    """The sample ExpenseNote class (imported by the addon loader)."""
    return next(model for model in kernel.workflows if model.__tablename__ == "wf_expense_note")  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def wf_templates(templates: Any, tmp_path_factory: pytest.TempPathFactory,
                 request: pytest.FixtureRequest) -> WorkflowTemplates:
    return WorkflowTemplates(templates, tmp_path_factory, request)


@pytest.fixture()
def flow(backend: str, wf_templates: WorkflowTemplates, tmp_path: Path) -> Iterator[Flow]:
    """A kernel on a fresh copy of the workflow database (SQLite and PostgreSQL)."""
    url, users = wf_templates.copy(backend, tmp_path)
    kernel = boot(wf_settings(url, tmp_path))
    yield Flow(kernel, users, backend)
    kernel.engine.dispose()
