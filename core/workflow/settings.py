"""What an administrator saves as chains, steps and delegations must make sense.

Called on flush (core/workflow/locks.py) as the system; each check raises a
ValidationError naming the fields to correct, so the generated form shows it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.i18n import _
from core.workflow.declarations import DEPARTMENT_MANAGER, OPERATORS, ROLE, STEP_KINDS, USER
from core.workflow.models import ApprovalChain, ApprovalDelegation, ChainStep
from core.workflow.registry import workflows_of


def check_chain(session: Session, chain: ApprovalChain) -> None:
    """The document type must have a workflow, and the transition must open approval."""
    workflow = workflows_of(session).for_key(chain.model or "")
    if workflow is None or not workflow.approval_transitions():
        raise ValidationError(_("Please correct the marked fields."), fields={
            "model": _("Choose a document type that has an approval workflow.")})
    names = [t.name for t in workflow.approval_transitions()]
    if chain.transition not in names:
        raise ValidationError(_("Please correct the marked fields."), fields={"transition": _(
            "Choose one of: {names}.").format(names=", ".join(names))})


def _check_target(step: ChainStep) -> dict[str, str]:
    if step.kind not in STEP_KINDS:
        return {"kind": _("Choose one of the listed values.")}
    needs = {ROLE: ("role", step.role), DEPARTMENT_MANAGER: ("department_id", step.department_id),
             USER: ("user_id", step.user_id)}
    if step.kind in needs and not needs[step.kind][1]:
        return {needs[step.kind][0]: _("This kind of step needs it.")}
    return {}


def _check_condition(session: Session, step: ChainStep) -> dict[str, str]:
    parts = (step.condition_field, step.condition_op, step.condition_value)
    if not any(parts):
        return {}
    if not all(parts):
        missing = [name for name, value in zip(
            ("condition_field", "condition_op", "condition_value"), parts, strict=True) if not value]
        return {name: _("A condition needs a field, a comparison and a value.") for name in missing}
    chain = session.get(ApprovalChain, step.chain_id)
    workflow = workflows_of(session).for_key(chain.model) if chain else None
    table = workflow.model.__table__ if workflow else None  # type: ignore[attr-defined]
    if table is None or step.condition_field not in table.c:
        return {"condition_field": _("The document has no such field.")}
    if step.condition_op not in OPERATORS:
        return {"condition_op": _("Choose one of the listed values.")}
    from core.workflow.chains import convert

    try:
        convert(workflow.model, str(step.condition_field), str(step.condition_value))  # type: ignore[union-attr]
    except ValidationError as error:
        return {"condition_value": next(iter(error.fields.values()), error.message)}
    return {}


def check_step(session: Session, step: ChainStep) -> None:
    """A step names whom it asks, and a condition on a real field of the document."""
    errors = _check_target(step) | _check_condition(session, step)
    if errors:
        raise ValidationError(_("Please correct the marked fields."), fields=errors)


def check_delegation(session: Session, delegation: ApprovalDelegation) -> None:
    """A delegate is somebody else, for a period that ends after it starts."""
    errors: dict[str, Any] = {}
    if delegation.user_id is not None and delegation.user_id == delegation.delegate_id:
        errors["delegate_id"] = _("A delegate is somebody else than the absent approver.")
    if delegation.date_from and delegation.date_to and delegation.date_to < delegation.date_from:
        errors["date_to"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(_("Please correct the marked fields."), fields=errors)
