"""Two people deciding one step at the same moment: exactly one wins (#4).

Real concurrency needs a server that runs transactions side by side, so these
run on PostgreSQL only: two threads, two connections, two sessions.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import sqlalchemy as sa

from core.context import acting_as, system_context
from core.errors import Conflict
from core.i18n import using_locale
from core.workflow import decide
from core.workflow.models import TransitionLog
from tests.core.workflow_fixtures import flow, wf_templates  # noqa: F401  (fixtures)

FINANCE = {"kind": "role", "role": "finance", "name": "Finance"}


@pytest.fixture(params=["postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Real concurrency needs a real server: these tests run on PostgreSQL only."""
    return str(request.param)


@pytest.fixture()
def pg_flow(flow):
    return flow


def _decider(flow, login: str, task_id: int, results: dict[str, Any], *,
             before: threading.Barrier | None = None, decided: threading.Event | None = None,
             commit: threading.Event | None = None) -> threading.Thread:
    actor = flow.actor(login)

    def run() -> None:
        with using_locale("en"), acting_as(actor):
            try:
                with flow.kernel.sessions.begin() as session:
                    if before is not None:
                        before.wait(timeout=10)
                    decide(session, task_id, True, f"by {login}")
                    if decided is not None:
                        decided.set()
                    if commit is not None:
                        commit.wait(timeout=10)
                results[login] = "ok"
            except Conflict as error:
                results[login] = error
            except Exception as error:  # noqa: BLE001 - reported by the assertion
                results[login] = error

    return threading.Thread(target=run)


def _approvals(flow, note: int) -> int:
    with system_context(), flow.kernel.session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(TransitionLog).where(
            TransitionLog.res_id == note, TransitionLog.transition == "approve")))


def test_two_approvers_at_once_exactly_one_wins(pg_flow) -> None:
    flow = pg_flow
    flow.chain("EAST", [FINANCE])
    for _round in range(5):
        note = flow.note("li.na")
        flow.fire("li.na", note, "submit")
        [task] = flow.tasks(note)
        results: dict[str, Any] = {}
        barrier = threading.Barrier(2)
        threads = [_decider(flow, login, task.id, results, before=barrier) for login in ("fin", "fin2")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        outcomes = sorted("ok" if r == "ok" else type(r).__name__ for r in results.values())
        assert outcomes == ["Conflict", "ok"], results
        winner = next(login for login, r in results.items() if r == "ok")
        [decided] = flow.tasks(note)
        assert decided.decided_by == flow.users[winner]
        assert flow.state(note) == "approved"
        assert _approvals(flow, note) == 1


def test_the_second_decision_waits_then_finds_the_step_taken(pg_flow) -> None:
    """The loser read the step as pending; its conditional UPDATE changes no row."""
    flow = pg_flow
    flow.chain("EAST", [FINANCE])
    note = flow.note("li.na")
    flow.fire("li.na", note, "submit")
    [task] = flow.tasks(note)
    results: dict[str, Any] = {}
    decided, commit = threading.Event(), threading.Event()
    first = _decider(flow, "fin", task.id, results, decided=decided, commit=commit)
    second = _decider(flow, "fin2", task.id, results)
    first.start()
    assert decided.wait(timeout=10)
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second decision should wait for the first transaction"
    commit.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert results["fin"] == "ok"
    assert isinstance(results["fin2"], Conflict)
    assert "a moment ago" in results["fin2"].message
    assert flow.tasks(note)[0].decided_by == flow.users["fin"]
    assert _approvals(flow, note) == 1
