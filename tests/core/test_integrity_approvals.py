"""Approvals follow the organisation as it is now (#13), on the sample expense note."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from core.context import acting_as, system_context
from core.errors import AccessDenied, NotFound
from core.models import Role, User, user_role
from core.web.app import create_app
from core.workflow import pending_for, trail
from tests.core.workflow_fixtures import PASSWORD, flow, wf_templates  # noqa: F401  (fixtures)

MANAGER = {"kind": "direct_manager", "name": "Direct manager"}
FINANCE = {"kind": "role", "role": "finance", "name": "Finance"}
GM = {"kind": "role", "role": "general_manager", "name": "General manager"}


def inbox(flow, login: str) -> list:
    with acting_as(flow.actor(login)), flow.kernel.session() as session:
        return pending_for(session, flow.actor(login))


def set_roles(flow, login: str, codes: list[str]) -> None:
    with acting_as(flow.actor("admin")), flow.kernel.sessions.begin() as session:
        user = session.get(User, flow.users[login])
        user.roles = list(session.scalars(sa.select(Role).where(Role.code.in_(codes))))


def test_a_finance_user_who_lost_the_role_no_longer_approves(flow) -> None:
    flow.chain("EAST", [FINANCE])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    [task] = flow.tasks(note)
    assert [item.task_id for item in inbox(flow, "fin")] == [task.id]
    set_roles(flow, "fin", ["sales_rep"])
    assert inbox(flow, "fin") == []
    with pytest.raises((AccessDenied, NotFound)):  # he reads the note no more either
        flow.decide("fin", task.id, True)
    flow.decide("fin2", task.id, True)
    assert flow.state(note) == "approved"


def test_a_role_removed_around_the_orm_is_still_checked_when_deciding(flow) -> None:
    flow.chain("EAST", [FINANCE])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    [task] = flow.tasks(note)
    with system_context(), flow.kernel.sessions.begin() as session:
        session.execute(sa.delete(user_role).where(user_role.c.user_id == flow.users["fin"]))
    with pytest.raises(AccessDenied):
        flow.decide("fin", task.id, True)


def test_a_former_superior_no_longer_approves_and_the_new_one_does(flow) -> None:
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    [task] = flow.tasks(note)
    assert [item.task_id for item in inbox(flow, "lead")] == [task.id]
    with acting_as(flow.actor("admin")), flow.kernel.sessions.begin() as session:
        session.get(User, flow.users["li.na"]).manager_id = flow.users["mgr"]
    assert inbox(flow, "lead") == []
    assert [item.task_id for item in inbox(flow, "mgr")] == [task.id]
    with pytest.raises(AccessDenied):
        flow.decide("lead", task.id, True)
    flow.decide("mgr", task.id, True)
    assert flow.state(note) == "approved"


def test_a_delegate_who_could_not_read_the_document_reads_and_decides_it(flow) -> None:
    flow.chain("EAST", [MANAGER])
    note = flow.note("li.na", title="杭州出差")
    flow.fire("li.na", note, "submit")
    flow.delegate("lead", "wang.qiang")  # a rep: his rules show him his own notes only
    [item] = inbox(flow, "wang.qiang")
    assert item.document == "杭州出差"
    client = TestClient(create_app(kernel=flow.kernel), headers={"Accept-Language": "en"})
    token = client.post("/api/v1/auth/token", json={"login": "wang.qiang", "password": PASSWORD})
    client.headers["Authorization"] = f"Bearer {token.json()['token']}"
    assert client.get(f"/api/v1/wf_expense_note/{note}").status_code == 200
    assert client.post(f"/api/v1/wf_expense_note/{note}/actions/approve",
                       json={}).status_code == 200
    assert flow.state(note) == "approved"
    # Once decided, the document is his colleague's again.
    assert client.get(f"/api/v1/wf_expense_note/{note}").status_code == 404


def test_one_decision_covers_consecutive_steps_of_the_same_person(flow) -> None:
    flow.chain("EAST", [MANAGER, GM, FINANCE])
    flow.delegate("gm.east", "lead")  # the manager is also the general manager's delegate
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    manager, general, finance = flow.tasks(note)
    flow.decide("lead", manager.id, True, "同意")
    manager, general, finance = flow.tasks(note)
    assert (manager.state, general.state, finance.state) == ("approved", "approved", "pending")
    assert general.decided_by == flow.users["lead"]
    assert general.on_behalf_of == flow.users["gm.east"]
    assert "Direct manager" in (general.comment or "")
    with acting_as(flow.actor("li.na")), flow.kernel.session() as session:
        [round_] = trail(session, flow.load(session, note))
    assert [step.state for step in round_.steps] == ["approved", "approved", "pending"]
