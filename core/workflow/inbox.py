"""Reading approvals: what waits for me, what I submitted, a document's trail and history.

Queries run as the actor (read rights on the approval tables are granted to
all staff); document names come through the actor's record rules, so a
document they may not see shows no name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import Actor, system_context
from core.fields import display_name_column, display_text, model_label
from core.i18n import _, _l, gettext
from core.orm import utcnow
from core.workflow import approvers
from core.workflow.declarations import Workflow
from core.workflow.models import (
    APPROVED,
    CANCELLED,
    PENDING,
    REJECTED,
    WAITING,
    ApprovalApprover,
    ApprovalRequest,
    ApprovalTask,
    TransitionLog,
)
from core.workflow.registry import workflows_of

# A step pending longer than this is shown as overdue.
OVERDUE_AFTER = dt.timedelta(days=2)
STATE_LABELS = {
    WAITING: _l("Waiting"), PENDING: _l("Awaiting decision"), APPROVED: _l("Approved"),
    REJECTED: _l("Rejected"), CANCELLED: _l("Cancelled"),
}


def state_label(state: str) -> str:
    """A round's or a step's state in the current language."""
    label = STATE_LABELS.get(state)
    return str(label) if label else state


@dataclass(frozen=True)
class Waiting:
    """How long a step has waited, and whether that is overdue."""

    since: dt.datetime | None
    waited: dt.timedelta | None
    overdue: bool

    @classmethod
    def of(cls, since: dt.datetime | None, now: dt.datetime) -> Waiting:
        waited = now - since if since else None
        return cls(since, waited, bool(waited and waited > OVERDUE_AFTER))

    @property
    def days(self) -> float:
        """Days waited, one decimal (0 when not waiting)."""
        return round(self.waited.total_seconds() / 86400, 1) if self.waited else 0.0

    @property
    def text(self) -> str:
        """How long, in words: "5 hours", "2.5 days" (empty when not waiting)."""
        if self.waited is None:
            return ""
        if self.waited < dt.timedelta(days=1):
            hours = int(self.waited.total_seconds() // 3600)
            return _("{count} hours").format(count=hours)
        return _("{count} days").format(count=self.days)


@dataclass(frozen=True)
class InboxItem:
    """A step waiting for the actor's decision (or their absent colleague's)."""

    task_id: int
    model: str  # table name, the key of /m/<model>/<res_id>
    model_label: str
    res_id: int
    document: str | None  # None: the actor may not see the document
    step: str
    sequence: int
    steps: int
    round: int
    submitter: str
    submitted_at: dt.datetime
    waiting: Waiting
    on_behalf_of: str | None = None


@dataclass(frozen=True)
class TrailStep:
    """One step of a round as the trail shows it."""

    task_id: int
    sequence: int
    name: str
    reason: str | None
    state: str
    approvers: list[str]
    decided_by: str | None
    on_behalf_of: str | None
    decided_at: dt.datetime | None
    comment: str | None
    waiting: Waiting

    @property
    def state_label(self) -> str:
        """The step's state in the current language."""
        return state_label(self.state)


@dataclass(frozen=True)
class TrailRound:
    """One submission round of a document."""

    request_id: int
    model: str
    res_id: int
    round: int
    state: str
    submitter: str
    submitted_at: dt.datetime
    closed_at: dt.datetime | None
    steps: list[TrailStep] = field(default_factory=list)
    document: str | None = None

    @property
    def state_label(self) -> str:
        """The round's state in the current language."""
        return state_label(self.state)

    @property
    def current(self) -> TrailStep | None:
        """The step waiting for a decision, if any."""
        return next((s for s in self.steps if s.state == PENDING), None)


@dataclass(frozen=True)
class HistoryEntry:
    """One fired transition, labelled in the current language."""

    transition: str
    from_state: str
    to_state: str
    user: str
    date: dt.datetime
    comment: str | None


def _names(session: Session, by_model: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """Names of documents the actor may see, one query per model."""
    result: dict[tuple[str, int], str] = {}
    for key, ids in by_model.items():
        workflow = workflows_of(session).for_key(key)
        if workflow is None:
            continue
        model = workflow.model
        column = display_name_column(model)
        rows = session.execute(sa.select(model.id, column).where(model.id.in_(sorted(ids))))  # type: ignore[attr-defined]
        result.update({(key, row[0]): display_text(model, row[1]) for row in rows})
    return result


def _label_of(session: Session, key: str) -> str:
    workflow = workflows_of(session).for_key(key)
    return model_label(workflow.model) if workflow else key


def _delegators(session: Session, actor: Actor) -> list[int]:
    with system_context(), session.no_autoflush:
        return approvers.absent_for(session, actor.user_id) if actor.user_id else []


def _waiting_rows(session: Session, actor: Actor) -> list[Any]:
    users = [actor.user_id, *_delegators(session, actor)]
    return list(session.execute(
        sa.select(ApprovalTask, ApprovalRequest, ApprovalApprover.user_id)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalTask.request_id)
        .join(ApprovalApprover, ApprovalApprover.task_id == ApprovalTask.id)
        .where(ApprovalTask.state == PENDING, ApprovalApprover.user_id.in_(users),
               ApprovalRequest.submitter_id.is_distinct_from(actor.user_id))
        .order_by(ApprovalTask.pending_since, ApprovalTask.id)))


def _step_counts(session: Session, request_ids: set[int]) -> dict[int, int]:
    if not request_ids:
        return {}
    rows = session.execute(
        sa.select(ApprovalTask.request_id, sa.func.count())
        .where(ApprovalTask.request_id.in_(sorted(request_ids)))
        .group_by(ApprovalTask.request_id))
    return {row[0]: int(row[1]) for row in rows}


def pending_for(session: Session, actor: Actor, *, now: dt.datetime | None = None) -> list[InboxItem]:
    """Steps waiting for `actor`'s decision, as approver or as an active delegate,
    oldest first (never steps of documents they submitted)."""
    if actor.user_id is None:
        return []
    now = now or utcnow()
    chosen: dict[int, tuple[ApprovalTask, ApprovalRequest, int]] = {}
    for task, request, user in _waiting_rows(session, actor):
        if task.id not in chosen or user == actor.user_id:
            chosen[task.id] = (task, request, user)
    by_model: dict[str, set[int]] = defaultdict(set)
    for _task, request, _user in chosen.values():
        by_model[request.model].add(request.res_id)
    names = _names(session, by_model)
    people = approvers.user_names(session, {r.submitter_id for _t, r, _u in chosen.values()
                                            if r.submitter_id} | {u for *_x, u in chosen.values()})
    counts = _step_counts(session, {r.id for _t, r, _u in chosen.values()})
    return [
        InboxItem(task.id, request.model, _label_of(session, request.model), request.res_id,
                  names.get((request.model, request.res_id)), gettext(task.name), task.sequence,
                  counts.get(request.id, 0), request.round,
                  people.get(request.submitter_id or 0, ""), request.submitted_at,
                  Waiting.of(task.pending_since, now),
                  None if user == actor.user_id else people.get(user, ""))
        for task, request, user in chosen.values()
    ]


def _rounds(session: Session, requests: list[ApprovalRequest], now: dt.datetime) -> list[TrailRound]:
    """Requests with their steps, approvers and people's names, in four queries."""
    ids = [r.id for r in requests]
    tasks = list(session.scalars(sa.select(ApprovalTask).where(ApprovalTask.request_id.in_(ids))
                                 .order_by(ApprovalTask.request_id, ApprovalTask.sequence))) if ids else []
    allowed: dict[int, list[int]] = defaultdict(list)
    if tasks:
        for task_id, user in session.execute(sa.select(
                ApprovalApprover.task_id, ApprovalApprover.user_id)
                .where(ApprovalApprover.task_id.in_([t.id for t in tasks]))):
            allowed[task_id].append(user)
    people = approvers.user_names(session, {u for users in allowed.values() for u in users}
                                  | {r.submitter_id for r in requests if r.submitter_id}
                                  | {t.decided_by for t in tasks if t.decided_by}
                                  | {t.on_behalf_of for t in tasks if t.on_behalf_of})
    steps: dict[int, list[TrailStep]] = defaultdict(list)
    for t in tasks:
        steps[t.request_id].append(TrailStep(
            t.id, t.sequence, gettext(t.name), gettext(t.reason) if t.reason else None, t.state,
            [people.get(u, "") for u in allowed[t.id]], people.get(t.decided_by or 0),
            people.get(t.on_behalf_of or 0), t.decided_at, t.comment,
            Waiting.of(t.pending_since if t.state == PENDING else None, now)))
    return [TrailRound(r.id, r.model, r.res_id, r.round, r.state,
                       people.get(r.submitter_id or 0, ""), r.submitted_at, r.closed_at,
                       steps[r.id]) for r in requests]


def submitted_by(session: Session, actor: Actor, *, limit: int = 50,
                 now: dt.datetime | None = None) -> list[TrailRound]:
    """The actor's latest submissions (open ones first), each with its steps."""
    if actor.user_id is None:
        return []
    requests = list(session.scalars(
        sa.select(ApprovalRequest).where(ApprovalRequest.submitter_id == actor.user_id)
        .order_by((ApprovalRequest.state == PENDING).desc(), ApprovalRequest.submitted_at.desc(),
                  ApprovalRequest.id.desc()).limit(limit)))
    rounds = _rounds(session, requests, now or utcnow())
    by_model: dict[str, set[int]] = defaultdict(set)
    for item in rounds:
        by_model[item.model].add(item.res_id)
    names = _names(session, by_model)
    return [TrailRound(**{**r.__dict__, "document": names.get((r.model, r.res_id))}) for r in rounds]


def trail(session: Session, record: Any, *, now: dt.datetime | None = None) -> list[TrailRound]:
    """Every approval round of `record`, oldest first, with each step's decision."""
    workflow = workflows_of(session).for_model(type(record))
    if workflow is None:
        return []
    requests = list(session.scalars(
        sa.select(ApprovalRequest)
        .where(ApprovalRequest.model == workflow.key, ApprovalRequest.res_id == record.id)
        .order_by(ApprovalRequest.round)))
    return _rounds(session, requests, now or utcnow())


def _state_label(workflow: Workflow, name: str) -> str:
    state = workflow.state(name)
    return str(state.label) if state else name


def history(session: Session, record: Any) -> list[HistoryEntry]:
    """The transitions fired on `record`, oldest first."""
    workflow = workflows_of(session).for_model(type(record))
    if workflow is None:
        return []
    logs = list(session.scalars(
        sa.select(TransitionLog)
        .where(TransitionLog.model == workflow.key, TransitionLog.res_id == record.id)
        .order_by(TransitionLog.id)))
    people = approvers.user_names(session, {log.user_id for log in logs if log.user_id})
    result = []
    for log in logs:
        transition = workflow.transition(log.transition)
        result.append(HistoryEntry(
            str(transition.label) if transition else log.transition,
            _state_label(workflow, log.from_state), _state_label(workflow, log.to_state),
            people.get(log.user_id or 0, ""), log.date, log.comment))
    return result
