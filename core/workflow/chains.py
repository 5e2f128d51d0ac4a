"""Planning a round: the division's chain (or the workflow's default), its conditions,
the addons' extra steps, each step resolved to its approvers at submit time.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.policy import model_label
from core.context import Actor, system_context
from core.errors import TransitionRefused, ValidationError
from core.fields import field_info
from core.i18n import LazyText, _, _l
from core.org import ROLES
from core.runtime import kernel_of
from core.schemas import validate as validate_values
from core.workflow import approvers
from core.workflow.approvers import Target
from core.workflow.declarations import (
    DEPARTMENT_MANAGER,
    DIRECT_MANAGER,
    MANAGER_ABOVE,
    OPERATORS,
    ROLE,
    USER,
    ApprovalStep,
    Transition,
    Workflow,
)
from core.workflow.models import ApprovalChain, ChainStep
from core.workflow.registry import step_problems

# Default names of declared steps (stored as msgids, shown translated).
_DEFAULT_LABELS = {
    DIRECT_MANAGER: _l("Direct manager"),
    MANAGER_ABOVE: _l("Manager above"),
    DEPARTMENT_MANAGER: _l("Department manager"),
}


@dataclass(frozen=True)
class PlannedStep:
    """A step of the coming round: its name, why it is there, who may decide it."""

    name: str
    reason: str | None
    step_id: int | None
    target: Target
    approvers: tuple[int, ...] = ()


def _text(label: LazyText | str | None) -> str | None:
    """A label as stored: the msgid of a lazy text, else the text."""
    if label is None:
        return None
    return label.message if isinstance(label, LazyText) else str(label)


def convert(model: type, name: str, text: str) -> Any:
    """`text` as a value of the field `name` of `model` (ValidationError if it is not one)."""
    info = dataclasses.replace(field_info(getattr(model, name)), required=False)
    return validate_values(model, [info], {name: text}, partial=False)[name]


def condition_holds(model: type, record: Any, row: ChainStep) -> bool:
    """Whether a chain step's condition (field, operator, value) holds for `record`."""
    if not row.condition_field:
        return True
    value = getattr(record, row.condition_field, None)
    if value is None or row.condition_op not in OPERATORS:
        return False
    try:
        expected = convert(model, row.condition_field, row.condition_value or "")
    except ValidationError:
        return False
    return expected is not None and bool(OPERATORS[row.condition_op](value, expected))


def _configured(session: Session, record: Any, workflow: Workflow,
                transition: Transition) -> list[PlannedStep] | None:
    """The steps of the division's active chain that apply, or None without a chain."""
    chain_id = session.scalar(
        sa.select(ApprovalChain.id).where(
            ApprovalChain.division_id == record.division_id, ApprovalChain.model == workflow.key,
            ApprovalChain.transition == transition.name, ApprovalChain.active,
        ).order_by(ApprovalChain.id).limit(1))
    if chain_id is None:
        return None
    rows = session.scalars(sa.select(ChainStep).where(ChainStep.chain_id == chain_id)
                           .order_by(ChainStep.sequence, ChainStep.id))
    return [
        PlannedStep(row.name, None, row.id,
                    Target(row.kind, row.role, row.department_id, row.user_id))
        for row in rows if condition_holds(workflow.model, record, row)
    ]


def _declared(session: Session, record: Any, step: ApprovalStep) -> PlannedStep:
    """A declared step (default chain or an addon's extra step) in ids."""
    target = Target(step.kind, role=step.role)
    if step.kind == DEPARTMENT_MANAGER and step.department:
        target = Target(step.kind, department_id=approvers.department_id_by_code(
            session, step.department, record.division_id))
    elif step.kind == USER and step.user:
        target = Target(step.kind, user_id=approvers.user_id_by_login(session, step.user))
    name = _text(step.label) or _text(_DEFAULT_LABELS.get(step.kind))
    if name is None and step.kind == ROLE:
        name = _text(ROLES.get(step.role or "", step.role))
    return PlannedStep(name or step.user or step.kind, _text(step.reason), None, target)


def _extra(session: Session, record: Any, transition: Transition, actor: Actor) -> list[ApprovalStep]:
    """Steps the addons enabled in the document's division add, in install order."""
    kernel = kernel_of(session)
    if kernel is None:
        return []
    division_id = getattr(record, "division_id", None) or actor.division_id
    results = kernel.hooks_for(division_id).kehu_extra_approval_steps(
        session=session, document=record, transition=transition)
    steps: list[ApprovalStep] = []
    for contributed in reversed(results):  # pluggy calls dependents first
        for step in contributed or []:
            if not isinstance(step, ApprovalStep) or step_problems(step):
                raise TypeError(f"kehu_extra_approval_steps returned an invalid step: {step!r}")
            steps.append(step)
    return [step for step in steps if step.applies_to(record)]


def _resolved(session: Session, record: Any, workflow: Workflow, step: PlannedStep,
              submitter_id: int | None, own: set[int]) -> PlannedStep:
    found = approvers.resolve(session, step.target, submitter_id=submitter_id,
                              division_id=record.division_id)
    found = [user for user in found if user not in own]
    if not found:
        raise TransitionRefused(
            _("Nobody can approve the step '{step}' of this {model}: ask an administrator "
              "to check the approval chain and the organisation.").format(
                step=_(step.name), model=model_label(workflow.model)))
    return dataclasses.replace(step, approvers=tuple(found))


def plan(session: Session, record: Any, workflow: Workflow, transition: Transition,
         actor: Actor) -> list[PlannedStep]:
    """The steps of the round `transition` opens, each with its approvers.

    TransitionRefused when no chain applies or a step has nobody to decide it.
    """
    from core.workflow.rounds import owners

    own = owners(record, actor.user_id)
    with system_context(), session.no_autoflush:
        steps = _configured(session, record, workflow, transition)
        if steps is None:
            steps = [_declared(session, record, s) for s in workflow.chain if s.applies_to(record)]
        steps += [_declared(session, record, s) for s in _extra(session, record, transition, actor)]
        if not steps:
            raise TransitionRefused(_("No approval chain applies to this {model}: ask an "
                                      "administrator to set one up.").format(
                model=model_label(workflow.model)))
        return [_resolved(session, record, workflow, step, actor.user_id, own)
                for step in steps]
