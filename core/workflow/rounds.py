"""Approval rounds: opening one at submission, cancelling it, and who may decide its steps.

Written as the system, after the engine has checked the actor: nobody edits
requests and tasks directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.rules import field_of
from core.context import Actor, system_context
from core.errors import AccessDenied, TransitionRefused
from core.i18n import _
from core.orm import utcnow
from core.workflow import approvers
from core.workflow.declarations import Transition, Workflow
from core.workflow.models import (
    APPROVED,
    CANCELLED,
    PENDING,
    WAITING,
    ApprovalApprover,
    ApprovalDelegation,
    ApprovalRequest,
    ApprovalTask,
)

if TYPE_CHECKING:
    from core.workflow.chains import PlannedStep


def owners(record: Any, submitter_id: int | None) -> set[int]:
    """Users whose document `record` is: its submitter, creator and owner."""
    owner = field_of(type(record), "owner")
    found = {submitter_id, getattr(record, "create_uid", None),
             getattr(record, owner.key) if owner is not None else None}
    return {user for user in found if user is not None}


def open_round(session: Session, record: Any, workflow: Workflow, transition: Transition,
               actor: Actor, plan: list[PlannedStep]) -> ApprovalRequest:
    """A new round for `record`: the first step pending, the others waiting."""
    now = utcnow()
    with system_context():
        last = session.scalar(sa.select(sa.func.max(ApprovalRequest.round)).where(
            ApprovalRequest.model == workflow.key, ApprovalRequest.res_id == record.id))
        request = ApprovalRequest(
            division_id=record.division_id, model=workflow.key, res_id=record.id,
            transition=transition.name, round=(last or 0) + 1, state=PENDING,
            submitter_id=actor.user_id, submitted_at=now)
        tasks = [
            ApprovalTask(sequence=index, name=step.name, reason=step.reason, step_id=step.step_id,
                         state=PENDING if index == 1 else WAITING,
                         pending_since=now if index == 1 else None,
                         target_kind=step.target.kind, target_role=step.target.role,
                         target_department_id=step.target.department_id,
                         target_user_id=step.target.user_id)
            for index, step in enumerate(plan, start=1)
        ]
        session.add(request)
        session.flush()
        for task in tasks:
            task.request_id = request.id
        session.add_all(tasks)
        session.flush()
        rows = [{"task_id": task.id, "user_id": user}
                for task, step in zip(tasks, plan, strict=True) for user in step.approvers]
        session.execute(sa.insert(ApprovalApprover), rows)
    return request


def pending_request(session: Session, workflow: Workflow, record_id: int) -> ApprovalRequest | None:
    """The open round of a document, if any."""
    with system_context(), session.no_autoflush:
        return session.scalar(sa.select(ApprovalRequest).where(
            ApprovalRequest.model == workflow.key, ApprovalRequest.res_id == record_id,
            ApprovalRequest.state == PENDING).order_by(ApprovalRequest.round.desc()).limit(1))


def close(session: Session, request: ApprovalRequest, state: str) -> int:
    """End an open round (`state`: approved, rejected, cancelled); its undecided steps
    are cancelled. Returns 1, or 0 when the round was closed meanwhile."""
    now = utcnow()
    with system_context():
        closed = cast(sa.CursorResult[Any], session.execute(
            sa.update(ApprovalRequest)
            .where(ApprovalRequest.id == request.id, ApprovalRequest.state == PENDING)
            .values(state=state, closed_at=now)
            .execution_options(synchronize_session=False))).rowcount
        if state != APPROVED:  # an approved round has no undecided step left
            session.execute(
                sa.update(ApprovalTask)
                .where(ApprovalTask.request_id == request.id,
                       ApprovalTask.state.in_((PENDING, WAITING)))
                .values(state=CANCELLED)
                .execution_options(synchronize_session=False))
    session.expire(request)
    return int(closed)


def cancel_if_left(session: Session, workflow: Workflow, record: Any,
                   transition: Transition) -> None:
    """A document taken out of its approval state by hand (recalled) ends its round."""
    request = pending_request(session, workflow, record.id)
    if request is None:
        return
    opened_by = workflow.transition(request.transition)
    if opened_by is None or transition.target != opened_by.target:
        close(session, request, CANCELLED)


def approvers_of(session: Session, task_id: int) -> set[int]:
    """The users resolved as approvers of a task."""
    with system_context(), session.no_autoflush:
        return set(session.scalars(sa.select(ApprovalApprover.user_id)
                                   .where(ApprovalApprover.task_id == task_id)))


def _target(task: Any) -> approvers.Target:
    return approvers.Target(task.target_kind, task.target_role, task.target_department_id,
                            task.target_user_id)


def refresh_approvers(session: Session, *, task_ids: Iterable[int] | None = None) -> int:
    """Resolve the undecided steps of open rounds again and store who may decide them now.

    Approvals follow the organisation as it is (#13): a finance user who lost the
    role, or a former superior, no longer decides; the new superior does. Steps of
    rounds opened before targets were stored keep their approvers. All the steps of
    open rounds when `task_ids` is None. Returns how many steps changed.
    """
    with system_context(), session.no_autoflush:
        query = (sa.select(ApprovalTask, ApprovalRequest)
                 .join(ApprovalRequest, ApprovalRequest.id == ApprovalTask.request_id)
                 .where(ApprovalRequest.state == PENDING,
                        ApprovalTask.state.in_((PENDING, WAITING)),
                        ApprovalTask.target_kind.is_not(None)))
        if task_ids is not None:
            query = query.where(ApprovalTask.id.in_(sorted(set(task_ids))))
        rows = list(session.execute(query))
        if not rows:
            return 0
        stored: dict[int, set[int]] = {}
        for task_id, user in session.execute(sa.select(
                ApprovalApprover.task_id, ApprovalApprover.user_id)
                .where(ApprovalApprover.task_id.in_([task.id for task, _r in rows]))):
            stored.setdefault(task_id, set()).add(user)
        cache: dict[tuple[Any, ...], set[int]] = {}
        changed = 0
        for task, request in rows:
            key = (_target(task), request.submitter_id, request.division_id)
            if key not in cache:
                cache[key] = set(approvers.resolve(session, key[0], submitter_id=key[1],
                                                   division_id=key[2]))
            now, before = cache[key], stored.get(task.id, set())
            if now == before:
                continue
            changed += 1
            if before - now:
                session.execute(sa.delete(ApprovalApprover).where(
                    ApprovalApprover.task_id == task.id,
                    ApprovalApprover.user_id.in_(sorted(before - now))))
            if now - before:
                session.execute(sa.insert(ApprovalApprover),
                                [{"task_id": task.id, "user_id": user} for user in sorted(now - before)])
    return changed


def approver_scope(workflow: Workflow | None, actor: Actor) -> sa.ColumnElement[bool] | None:
    """The documents of `workflow`'s model with an open step that `actor` may decide, as
    approver or as today's delegate of one: they read the document they are asked about (#13).

    A kernel scope, OR-ed with the record rules by the access layer; None without an
    approval workflow (the access layer passes the session's kernel's workflow of the model).
    """
    if workflow is None or not workflow.approval_transitions() or actor.user_id is None:
        return None
    model = workflow.model
    today = utcnow().date()
    absent = sa.select(ApprovalDelegation.user_id).where(
        ApprovalDelegation.delegate_id == actor.user_id,
        ApprovalDelegation.date_from <= today, ApprovalDelegation.date_to >= today)
    asked = (sa.select(ApprovalRequest.res_id)
             .join(ApprovalTask, ApprovalTask.request_id == ApprovalRequest.id)
             .join(ApprovalApprover, ApprovalApprover.task_id == ApprovalTask.id)
             .where(ApprovalRequest.model == workflow.key, ApprovalRequest.state == PENDING,
                    ApprovalTask.state == PENDING,
                    sa.or_(ApprovalApprover.user_id == actor.user_id,
                           ApprovalApprover.user_id.in_(absent))))
    return model.id.in_(asked)  # type: ignore[attr-defined,no-any-return]


def acting_for(session: Session, task_id: int, actor: Actor) -> int | None:
    """Whom the actor decides `task_id` for: None for themself, else the absent approver.

    AccessDenied when the actor is neither an approver nor an active delegate of one.
    """
    allowed = approvers_of(session, task_id)
    if actor.user_id is not None and actor.user_id in allowed:
        return None
    if actor.user_id is not None:
        with system_context(), session.no_autoflush:
            absent = approvers.absent_for(session, actor.user_id)
        for user in sorted(allowed & set(absent)):
            return user
    raise AccessDenied(_("You are not an approver of this step."))


def check_not_own(record: Any, request: ApprovalRequest, actor: Actor) -> None:
    """Nobody decides a step of their own document."""
    if actor.user_id is not None and actor.user_id in owners(record, request.submitter_id):
        raise TransitionRefused(_("You cannot decide a step of your own document."))


def pending_task_for(session: Session, workflow: Workflow, record: Any,
                     actor: Actor) -> ApprovalTask | None:
    """The step of `record`'s open round that `actor` may decide now, if any."""
    request = pending_request(session, workflow, record.id)
    if request is None or actor.user_id is None:
        return None
    if actor.user_id in owners(record, request.submitter_id):
        return None
    with system_context(), session.no_autoflush:
        task = session.scalar(sa.select(ApprovalTask).where(
            ApprovalTask.request_id == request.id, ApprovalTask.state == PENDING))
    if task is None:
        return None
    try:
        acting_for(session, task.id, actor)
    except AccessDenied:
        return None
    return task
