"""Random actions by random users never approve a note that skipped a step (#4).

Hypothesis draws sequences of submit / decide / approve / reject (with or
without a comment) / edit / recall by users of every role; whatever is
refused is refused with a kernel error, and after every action the note and
its rounds must still make sense.
"""

from __future__ import annotations

import decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from core.context import Actor, acting_as, system_context
from core.errors import KehuError
from core.workflow import act, decide, fire
from core.workflow.models import (
    ApprovalApprover,
    ApprovalDelegation,
    ApprovalRequest,
    ApprovalTask,
)
from tests.core.workflow_fixtures import flow, wf_templates  # noqa: F401  (fixtures)

LOGINS = ["li.na", "wang.qiang", "lead", "deputy", "mgr", "fin", "fin2", "gm.east"]
USERS = st.sampled_from(LOGINS)
COMMENTS = st.sampled_from([None, "", "不同意，请补充发票"])
AMOUNTS = st.sampled_from(["100", "6000"])
DECISIONS = st.sampled_from([True, True, True, False])
# ("approver", n, ...) is decided by the n-th approver of the pending step (or, for n = 3,
# by the delegate "deputy"): random users alone would rarely get a note approved.
ACTIONS = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(["li.na", "li.na", "lead", "wang.qiang", "fin"])),
    st.tuples(st.just("approver"), st.integers(0, 3), DECISIONS, COMMENTS),
    st.tuples(st.just("approver"), st.integers(0, 3), DECISIONS, COMMENTS),
    st.tuples(st.just("decide"), USERS, st.integers(0, 2), st.booleans(), COMMENTS),
    st.tuples(st.just("act"), USERS, st.sampled_from(["approve", "reject"]), COMMENTS),
    st.tuples(st.just("edit"), USERS, AMOUNTS),
    st.tuples(st.just("recall"), USERS),
)
CHAIN = [
    {"kind": "direct_manager", "name": "Direct manager"},
    {"kind": "role", "role": "finance", "name": "Finance"},
    {"kind": "role", "role": "general_manager", "name": "General manager",
     "condition_field": "amount", "condition_op": "gt", "condition_value": "5000"},
]


class Run:
    """One note driven by random actions, and what we know it must look like."""

    def __init__(self, flow: Any, actors: dict[str, Actor], amount: str) -> None:
        self.flow, self.actors = flow, actors
        self.note = flow.note("li.na", amount=amount)
        self.amount = decimal.Decimal(amount)
        self.submitted: dict[int, decimal.Decimal] = {}  # round → amount when submitted

    def _record(self, session: Any) -> Any:
        with system_context():
            return self.flow.load(session, self.note)

    def _task_id(self, index: int) -> int | None:
        tasks = self.flow.tasks(self.note)
        return tasks[index].id if index < len(tasks) else None

    def _approver(self, index: int) -> tuple[str, int | None]:
        """The index-th approver of the pending step (3: the delegate), and the step."""
        tasks = [t for t in self.flow.tasks(self.note) if t.state == "pending"]
        if not tasks:
            return "li.na", None
        with system_context(), self.flow.kernel.session() as session:
            users = sorted(session.scalars(sa.select(ApprovalApprover.user_id).where(
                ApprovalApprover.task_id == tasks[0].id)))
        logins = {user: login for login, user in self.flow.users.items()}
        login = "deputy" if index == 3 else logins[users[index % len(users)]]
        return login, tasks[0].id

    def do(self, action: tuple[Any, ...]) -> None:
        kind, login, *rest = action
        task_id = self._task_id(rest[0]) if kind == "decide" else None
        if kind == "approver":
            login, task_id = self._approver(login)
            kind, rest = "decide", [None, *rest]
        before = self.flow.state(self.note)
        try:
            with acting_as(self.actors[login]), self.flow.kernel.sessions.begin() as session:
                self._run(session, kind, task_id, rest)
        except KehuError:
            return
        if kind == "edit":
            changed = decimal.Decimal(rest[0]) != self.amount
            assert before == "draft" or not changed, "a locked note was edited"
            self.amount = decimal.Decimal(rest[0])
        if kind == "submit":
            self.submitted[len(self.rounds())] = self.amount

    def _run(self, session: Any, kind: str, task_id: int | None, rest: list[Any]) -> None:
        record = self._record(session)
        if kind in ("submit", "recall"):
            fire(session, record, kind)
        elif kind == "decide" and task_id is not None:
            decide(session, task_id, rest[1], rest[2])
        elif kind == "act":
            act(session, record, rest[0], comment=rest[1])
        elif kind == "edit":
            with system_context():
                record = session.get(type(record), self.note)
            session.refresh(record)
            record.amount = decimal.Decimal(rest[0])
            session.flush()

    def rounds(self) -> list[ApprovalRequest]:
        with system_context(), self.flow.kernel.session() as session:
            return list(session.scalars(sa.select(ApprovalRequest).where(
                ApprovalRequest.res_id == self.note).order_by(ApprovalRequest.round)))

    def check(self) -> None:
        state = self.flow.state(self.note)
        rounds = self.rounds()
        pending = [r for r in rounds if r.state == "pending"]
        assert len(pending) == (1 if state == "submitted" else 0), (state, rounds)
        with system_context(), self.flow.kernel.session() as session:
            for request in rounds:
                self._check_round(session, request)
        if state == "approved":
            assert rounds[-1].state == "approved"

    def _check_round(self, session: Any, request: ApprovalRequest) -> None:
        tasks = list(session.scalars(sa.select(ApprovalTask).where(
            ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence)))
        states = [t.state for t in tasks]
        owners = {self.flow.users["li.na"], request.submitter_id}
        for task in tasks:
            assert task.decided_by not in owners, "somebody decided their own note"
            if task.decided_by is not None:
                self._check_decider(session, task)
        if request.state == "pending":
            first = states.index("pending")
            assert states.count("pending") == 1
            assert states[:first] == ["approved"] * first
            assert set(states[first + 1:]) <= {"waiting"}
        if request.state == "approved":
            expected = 3 if self.submitted[request.round] > 5000 else 2
            assert states == ["approved"] * expected, "an approved note skipped a step"
            decided = [t.decided_at for t in tasks]
            assert decided == sorted(decided), "steps were decided out of order"

    def _check_decider(self, session: Any, task: ApprovalTask) -> None:
        allowed = set(session.scalars(sa.select(ApprovalApprover.user_id).where(
            ApprovalApprover.task_id == task.id)))
        if task.on_behalf_of is None:
            assert task.decided_by in allowed
        else:
            assert task.on_behalf_of in allowed
            assert session.scalar(sa.select(ApprovalDelegation.id).where(
                ApprovalDelegation.user_id == task.on_behalf_of,
                ApprovalDelegation.delegate_id == task.decided_by)) is not None


@pytest.fixture()
def prepared(flow):
    flow.chain("EAST", CHAIN)
    flow.delegate("lead", "deputy")
    return flow, {login: flow.actor(login) for login in LOGINS}


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(amount=AMOUNTS, submitted=st.booleans(), actions=st.lists(ACTIONS, min_size=3, max_size=16))
@example(amount="100", submitted=False, actions=[("submit", "li.na"), ("decide", "lead", 0, True, None),
                                ("decide", "fin", 1, True, None)])
@example(amount="6000", submitted=False, actions=[
    ("submit", "li.na"), ("decide", "fin", 1, True, None), ("act", "deputy", "approve", None),
    ("decide", "fin", 1, True, None), ("act", "gm.east", "reject", ""), ("edit", "li.na", "100"),
    ("act", "gm.east", "reject", "金额不对"), ("edit", "li.na", "100"), ("submit", "lead"),
    ("decide", "mgr", 0, True, None), ("decide", "fin2", 1, True, None)])
def test_random_actions_never_approve_a_note_that_skipped_a_step(prepared, amount, submitted,
                                                               actions) -> None:
    flow, actors = prepared
    run = Run(flow, actors, amount)
    for action in [("submit", "li.na")] * submitted + actions:
        run.do(action)
        run.check()
    event(f"ends {run.flow.state(run.note)} after {len(run.rounds())} rounds")
