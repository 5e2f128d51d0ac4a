"""Firing a transition: one call checks everything, writes the state and the history.

The checks, in order: the actor's write right and visibility (the access
policy), the document's state, the transition's roles, the comment, the
required fields, the guard, and the vetoes of the addons enabled in the
document's division (they see the document before `values` are applied).
The new state is written *as the actor* (so the ORM enforces the policy
too); the history row and approval rows are the engine's own.

`fire` does not commit: run it in a transaction that rolls back on error.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.access.policy import model_label, policy_of
from core.context import Actor, current_actor, system_context
from core.errors import Conflict, NotFound, TransitionRefused, ValidationError
from core.fields import FieldInfo, field_info
from core.i18n import _
from core.org import ROLES
from core.runtime import kernel_of
from core.schemas import validate as validate_values
from core.workflow import chains, rounds
from core.workflow.declarations import Transition, Workflow
from core.workflow.locks import FIRING
from core.workflow.models import TransitionLog
from core.workflow.registry import workflows_of


@dataclass(frozen=True)
class Action:
    """Something the actor may do to a document now: a transition or a decision."""

    name: str
    label: str
    kind: str  # "transition", or "decision" (approve / reject a step of the chain)
    comment_required: bool = False
    requires: tuple[FieldInfo, ...] = ()
    task_id: int | None = None


def workflow_of(session: Session, record: Any) -> Workflow:
    """The workflow of `record`'s model in the session's kernel; TransitionRefused when
    it has none."""
    workflow = workflows_of(session).for_model(type(record))
    if workflow is None:
        raise TransitionRefused(
            _("{model} has no workflow.").format(model=model_label(type(record))))
    return workflow


def _transition(workflow: Workflow, name: str) -> Transition:
    transition = workflow.transition(name)
    if transition is None:
        raise TransitionRefused(_("There is no action '{name}' on {model}.").format(
            name=name, model=model_label(workflow.model)))
    return transition


def hooks_for(session: Session, record: Any, actor: Actor) -> Any:
    """Hook callers of the addons enabled in the document's division (the session's
    kernel's; None for a session made outside any kernel)."""
    kernel = kernel_of(session)
    if kernel is None:
        return None
    return kernel.hooks_for(getattr(record, "division_id", None) or actor.division_id)


@contextlib.contextmanager
def firing(session: Session, record: Any, keys: set[str]) -> Iterator[None]:
    """Let the lock check accept changes of `keys` on `record` in this block."""
    marks: dict[tuple[type, Any], set[str]] = session.info.setdefault(FIRING, {})
    mark = (type(record), record.id)
    marks[mark] = keys
    try:
        yield
    finally:
        marks.pop(mark, None)


# ------------------------------------------------------------------ checks


def visible(session: Session, record: Any) -> bool:
    """Whether the current actor's record rules show `record` (a fresh SELECT)."""
    model = type(record)
    with session.no_autoflush:
        found = session.scalar(sa.select(model.id).where(model.id == record.id))  # type: ignore[attr-defined,unused-ignore]
    return found is not None


def _check_rights(session: Session, record: Any, actor: Actor) -> None:
    policy = policy_of(session)
    if actor.system or policy is None:
        return
    policy.check(actor, type(record), "write")
    if not visible(session, record):
        raise NotFound(_("The record does not exist or you may not see it."))


def may_fire(transition: Transition, actor: Actor) -> bool:
    """Whether the actor's roles allow `transition` (admins and the system may)."""
    if transition.roles is None or actor.system or actor.is_admin:
        return True
    return bool(set(transition.roles) & actor.roles)


def _check_roles(workflow: Workflow, transition: Transition, actor: Actor) -> None:
    if not may_fire(transition, actor):
        roles = ", ".join(str(ROLES.get(code, code)) for code in transition.roles or ())
        raise TransitionRefused(_("Only {roles} may {action} this {model}.").format(
            roles=roles, action=str(transition.label), model=model_label(workflow.model)))


def _check_source(workflow: Workflow, transition: Transition, record: Any) -> None:
    state = workflow.current(record)
    if state not in transition.sources:
        label = workflow.state(state)
        raise TransitionRefused(_("Cannot {action}: this {model} is {state}.").format(
            action=str(transition.label), model=model_label(workflow.model),
            state=str(label.label) if label else state))


def _check_required(workflow: Workflow, transition: Transition, record: Any,
                    values: dict[str, Any]) -> None:
    missing: dict[str, str] = {}
    for attribute in transition.requires:
        info = field_info(attribute)
        value = values[info.name] if info.name in values else getattr(record, info.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing[info.name] = _("Required to {action}.").format(action=str(transition.label))
    if missing:
        labels = ", ".join(str(field_info(getattr(workflow.model, n)).label) for n in missing)
        raise ValidationError(_("To {action}, fill in: {fields}.").format(
            action=str(transition.label), fields=labels), fields=missing)


def _convert(workflow: Workflow, transition: Transition, values: dict[str, Any] | None) -> dict[str, Any]:
    """Typed values for the transition's required fields; other keys are refused."""
    if not values:
        return {}
    fields = [field_info(attribute) for attribute in transition.requires]
    unknown = sorted(set(values) - {f.name for f in fields})
    if unknown:
        raise ValidationError(
            _("{action} does not take these fields.").format(action=str(transition.label)),
            fields={name: _("Unknown field.") for name in unknown})
    relaxed = [dataclasses.replace(f, required=False) for f in fields]
    return validate_values(workflow.model, relaxed, values, partial=True)


def _check_comment(transition: Transition, comment: str | None) -> None:
    if transition.comment_required and not (comment or "").strip():
        message = _("{action} needs a comment.").format(action=str(transition.label))
        raise ValidationError(message, fields={"comment": message})


def _check_guard_and_vetoes(session: Session, record: Any, transition: Transition,
                            actor: Actor) -> None:
    if transition.guard is not None:
        refusal = transition.guard(record, actor)
        if refusal:
            raise TransitionRefused(str(refusal))
    hooks = hooks_for(session, record, actor)
    if hooks is not None:
        hooks.kehu_check_transition(session=session, document=record, transition=transition,
                                    actor=actor)


# ------------------------------------------------------------------ writing


def _apply(session: Session, record: Any, workflow: Workflow, transition: Transition,
           actor: Actor, *, comment: str | None, values: dict[str, Any]) -> TransitionLog:
    """Write the values and the new state (in the current context), then the history row."""
    old = workflow.current(record)
    keys = {workflow.state_key, *values}
    with firing(session, record, keys):
        for key, value in values.items():
            setattr(record, key, value)
        setattr(record, workflow.state_key, transition.target)
        try:
            session.flush()
        except StaleDataError:
            raise Conflict(_("Somebody else changed this record: reload it and try again.")) from None
    log = TransitionLog(
        division_id=getattr(record, "division_id", None), model=workflow.key, res_id=record.id,
        transition=transition.name, from_state=old, to_state=transition.target,
        user_id=actor.user_id, comment=(comment or "").strip() or None,
    )
    with system_context():
        session.add(log)
        session.flush()
    return log


def _notify(session: Session, record: Any, transition: Transition, actor: Actor,
            log: TransitionLog) -> None:
    hooks = hooks_for(session, record, actor)
    if hooks is not None:
        hooks.kehu_on_transition(session=session, document=record, transition=transition,
                                 actor=actor, log=log)


def fire(session: Session, record: Any, name: str, *, comment: str | None = None,
         values: dict[str, Any] | None = None) -> TransitionLog:
    """Fire the transition `name` on `record` as the current actor; return the history row.

    Raises TransitionRefused (state, roles, guard, veto, outcome of a chain),
    AccessDenied / NotFound (policy), ValidationError (required fields, comment).
    """
    actor = current_actor()
    workflow = workflow_of(session, record)
    transition = _transition(workflow, name)
    if name in workflow.engine_transitions():
        raise TransitionRefused(_("{action} follows from the approval chain: decide your step "
                                  "in the approvals inbox.").format(action=str(transition.label)))
    _check_rights(session, record, actor)
    _check_source(workflow, transition, record)
    _check_roles(workflow, transition, actor)
    converted = _convert(workflow, transition, values)
    _check_comment(transition, comment)
    _check_required(workflow, transition, record, converted)
    _check_guard_and_vetoes(session, record, transition, actor)
    plan = chains.plan(session, record, workflow, transition, actor) if transition.approval else None
    log = _apply(session, record, workflow, transition, actor, comment=comment, values=converted)
    if plan is not None:
        rounds.open_round(session, record, workflow, transition, actor, plan)
    else:
        rounds.cancel_if_left(session, workflow, record, transition)
    _notify(session, record, transition, actor, log)
    return log


def fire_outcome(session: Session, record: Any, name: str, actor: Actor, *,
                 comment: str | None = None) -> TransitionLog:
    """The approval engine ends a round: fire `name` system-side, in `actor`'s name.

    Only the state, the guard and the addons' vetoes are checked: the decider
    need not hold the write right on the document.
    """
    workflow = workflow_of(session, record)
    transition = _transition(workflow, name)
    _check_source(workflow, transition, record)
    _check_guard_and_vetoes(session, record, transition, actor)
    with system_context():
        log = _apply(session, record, workflow, transition, actor, comment=comment, values={})
    _notify(session, record, transition, actor, log)
    return log
