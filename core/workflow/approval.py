"""Deciding a step: who may, in which order, once — and what the decision does.

Two people deciding one step at the same moment cannot both win: the task is
claimed with `UPDATE ... WHERE id = :id AND state = 'pending'`, and the one
whose UPDATE changes no row gets a Conflict (PostgreSQL makes the second
UPDATE wait for the first transaction, then re-reads the row).
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core import security_log
from core.context import Actor, current_actor, system_context
from core.errors import AccessDenied, Conflict, NotFound, TransitionRefused, ValidationError
from core.i18n import _, gettext
from core.orm import utcnow
from core.workflow import engine, rounds
from core.workflow.declarations import Workflow
from core.workflow.models import (
    APPROVED,
    PENDING,
    REJECTED,
    WAITING,
    ApprovalRequest,
    ApprovalTask,
)
from core.workflow.registry import workflows_of


def _load(session: Session, task_id: int) -> tuple[ApprovalTask, ApprovalRequest, Workflow]:
    with system_context(), session.no_autoflush:
        task = session.get(ApprovalTask, task_id, populate_existing=True)
        request = session.get(ApprovalRequest, task.request_id, populate_existing=True) if task else None
    workflow = workflows_of(session).for_key(request.model) if request else None
    if task is None or request is None or workflow is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    return task, request, workflow


def document(session: Session, workflow: Workflow, res_id: int, *, lock: bool = False) -> Any:
    """The document as the current actor may see it (NotFound otherwise).

    With `lock`, its row stays locked to the end of the transaction (PostgreSQL):
    decisions, recalls and resubmissions of one document take their locks in the
    same order (document, round, step), so they queue instead of deadlocking.
    """
    model = workflow.model
    statement: sa.Select[Any] = sa.select(model).where(model.id == res_id)  # type: ignore[attr-defined]
    if lock:
        statement = statement.with_for_update(of=model)
    record = session.scalars(statement.execution_options(populate_existing=True)).first()
    if record is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    return record


def _check_turn(session: Session, task: ApprovalTask, request: ApprovalRequest) -> None:
    """Steps are decided in order, and each once."""
    if request.state != PENDING or task.state not in (PENDING, WAITING):
        raise Conflict(_("This step has been decided already."))
    if task.state == WAITING:
        with system_context(), session.no_autoflush:
            before = session.scalar(sa.select(ApprovalTask.name).where(
                ApprovalTask.request_id == request.id, ApprovalTask.state == PENDING))
        raise TransitionRefused(_("This step comes after '{step}', which is not decided yet.")
                                .format(step=gettext(before) if before else ""))


def _claim(session: Session, task: ApprovalTask, actor: Actor, *, approve: bool,
           comment: str | None, on_behalf_of: int | None) -> None:
    """Mark the step decided, unless somebody else did a moment ago (Conflict)."""
    with system_context():
        claimed = cast(sa.CursorResult[Any], session.execute(
            sa.update(ApprovalTask)
            .where(ApprovalTask.id == task.id, ApprovalTask.state == PENDING)
            .values(state=APPROVED if approve else REJECTED, decided_by=actor.user_id,
                    on_behalf_of=on_behalf_of, decided_at=utcnow(), comment=comment)
            .execution_options(synchronize_session=False))).rowcount
    if claimed != 1:
        security_log.event("approval.conflict", actor=actor, task_id=task.id)
        raise Conflict(_("Somebody decided this step a moment ago: reload the page."))


def _advance(session: Session, request: ApprovalRequest, record: Any, workflow: Workflow,
             actor: Actor) -> None:
    """After an approval: the next step becomes pending, or the document is approved."""
    with system_context(), session.no_autoflush:
        following = session.scalar(
            sa.select(ApprovalTask.id).where(ApprovalTask.request_id == request.id,
                                             ApprovalTask.state == WAITING)
            .order_by(ApprovalTask.sequence).limit(1))
        if following is not None:
            session.execute(
                sa.update(ApprovalTask).where(ApprovalTask.id == following)
                .values(state=PENDING, pending_since=utcnow())
                .execution_options(synchronize_session=False))
    if following is not None:
        if _covers_next(session, request, record, actor, following):
            _advance(session, request, record, workflow, actor)
            return
        from core.notify.events import step_pending

        step_pending(session, following, record)  # its approvers are told (#18)
        return
    if rounds.close(session, request, APPROVED) != 1:
        raise Conflict(_("Somebody decided this step a moment ago: reload the page."))
    engine.fire_outcome(session, record, workflow.approved, actor)


def _covers_next(session: Session, request: ApprovalRequest, record: Any, actor: Actor,
                 following: int) -> bool:
    """When the next step falls to the same person (a manager who is also the general
    manager's delegate, one user holding both roles), the decision just made covers it
    too, and its trail says so (#13)."""
    rounds.refresh_approvers(session, task_ids=[following])
    try:
        rounds.check_not_own(record, request, actor)
        on_behalf_of = rounds.acting_for(session, following, actor)
    except (AccessDenied, TransitionRefused):
        return False
    with system_context(), session.no_autoflush:
        previous = session.scalar(
            sa.select(ApprovalTask.name).where(ApprovalTask.request_id == request.id,
                                               ApprovalTask.decided_by == actor.user_id)
            .order_by(ApprovalTask.sequence.desc()).limit(1))
        task = session.get(ApprovalTask, following)
    assert task is not None
    note = _("Decided with the step '{step}': the same person decides both.").format(
        step=gettext(previous) if previous else "")
    _claim(session, task, actor, approve=True, comment=note, on_behalf_of=on_behalf_of)
    security_log.event("approval.decision", actor=actor, decision=APPROVED, model=request.model,
                       res_id=request.res_id, round=request.round, task_id=following,
                       step=task.name, on_behalf_of=on_behalf_of, covered=True)
    return True


def _reject(session: Session, request: ApprovalRequest, record: Any, workflow: Workflow,
            actor: Actor, comment: str) -> None:
    """After a rejection: the round ends and the document goes back to draft."""
    if rounds.close(session, request, REJECTED) != 1:
        raise Conflict(_("Somebody decided this step a moment ago: reload the page."))
    engine.fire_outcome(session, record, workflow.rejected, actor, comment=comment)


def decide(session: Session, task_id: int, approve: bool, comment: str | None = None) -> ApprovalTask:
    """Approve or reject the step `task_id` as the current actor; return the decided task.

    Refused (AccessDenied) unless the actor is one of the step's approvers or
    an active delegate of one; refused (TransitionRefused) on their own
    document or before the earlier steps are decided; a rejection needs a
    comment (ValidationError); a step decided already is a Conflict.
    Does not commit.
    """
    actor = current_actor()
    task, request, workflow = _load(session, task_id)
    record = document(session, workflow, request.res_id, lock=True)
    rounds.check_not_own(record, request, actor)
    rounds.refresh_approvers(session, task_ids=[task.id])  # who may decide it now (#13)
    on_behalf_of = rounds.acting_for(session, task.id, actor)
    _check_turn(session, task, request)
    text = (comment or "").strip() or None
    if not approve and text is None:
        message = _("A rejection needs a comment.")
        raise ValidationError(message, fields={"comment": message})
    logged: dict[str, Any] = {"model": request.model, "res_id": request.res_id, "round": request.round,
              "task_id": task_id, "step": task.name, "on_behalf_of": on_behalf_of}
    _claim(session, task, actor, approve=approve, comment=text, on_behalf_of=on_behalf_of)
    if approve:
        _advance(session, request, record, workflow, actor)
    else:
        assert text is not None
        _reject(session, request, record, workflow, actor, text)
    security_log.event("approval.decision", actor=actor,
                       decision=APPROVED if approve else REJECTED, **logged)
    with system_context():
        session.refresh(task)
    return task
