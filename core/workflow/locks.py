"""Checks on every flush: locked documents, states, immutable history, chain settings.

Below the web layer, like the access policy: the pages, the API, imports and
plain ORM code all meet them. Only the explicit system context may edit a
locked document (data fixes); nobody may change the transition history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session

from core.access.policy import model_label
from core.context import current_actor, system_context
from core.errors import AccessDenied, ValidationError
from core.fields import SYSTEM_COLUMNS
from core.i18n import _
from core.workflow import following as _following  # noqa: F401  (approvals follow the org)
from core.workflow.declarations import Workflow
from core.workflow.models import (
    ApprovalChain,
    ApprovalDelegation,
    ChainStep,
    TransitionLog,
)
from core.workflow.registry import workflows_of
from core.workflow.settings import check_chain, check_delegation, check_step

FIRING = "kehu_workflow_firing"


def _changed_keys(record: Any) -> set[str]:
    """Columns of `record` whose value changed in this flush (stamps left out)."""
    state = sa.inspect(record)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    return changed - SYSTEM_COLUMNS


def _old_state(record: Any, workflow: Workflow) -> str | None:
    history = sa.inspect(record).attrs[workflow.state_key].history
    value = history.deleted[0] if history.deleted else getattr(record, workflow.state_key)
    return None if value is None else str(value)


def _label(workflow: Workflow, state: str | None) -> str:
    found = workflow.state(state) if state else None
    return str(found.label) if found else str(state)


def _check_changed(session: Session, record: Any, workflow: Workflow) -> None:
    marks: dict[tuple[type, Any], set[str]] = session.info.get(FIRING, {})
    changed = _changed_keys(record) - marks.get((type(record), record.id), set())
    if not changed:
        return
    if workflow.state_key in changed:
        message = _("The state changes only through the document's actions.")
        raise ValidationError(message, fields={workflow.state_key: message})
    old = _old_state(record, workflow)
    if workflow.locked(old):
        message = _("This {model} is {state}: it cannot be changed.").format(
            model=model_label(workflow.model), state=_label(workflow, old))
        raise ValidationError(message, fields={key: message for key in sorted(changed)})


def _check_new(record: Any, workflow: Workflow) -> None:
    state = getattr(record, workflow.state_key)
    if state is not None and state != workflow.initial:
        message = _("A new {model} starts as {state}.").format(
            model=model_label(workflow.model), state=_label(workflow, workflow.initial))
        raise ValidationError(message, fields={workflow.state_key: message})


def _check_deleted(record: Any, workflow: Workflow) -> None:
    old = _old_state(record, workflow)
    if workflow.locked(old):
        raise ValidationError(_("This {model} is {state}: it cannot be deleted.").format(
            model=model_label(workflow.model), state=_label(workflow, old)))


def _check_documents(session: Session) -> None:
    installed = workflows_of(session)
    for record in session.new:
        workflow = installed.for_model(type(record))
        if workflow is not None:
            _check_new(record, workflow)
    for record in session.dirty:
        workflow = installed.for_model(type(record))
        if workflow is not None:
            _check_changed(session, record, workflow)
    for record in session.deleted:
        workflow = installed.for_model(type(record))
        if workflow is not None:
            _check_deleted(record, workflow)


def _check_settings(session: Session) -> None:
    """Chains, steps and delegations an administrator saves must make sense."""
    checks: dict[type, Callable[[Session, Any], None]] = {ApprovalChain: check_chain, ChainStep: check_step,
              ApprovalDelegation: check_delegation}
    for record in [*session.new, *session.dirty]:
        check = checks.get(type(record))
        if check is not None:
            with system_context(), session.no_autoflush:
                check(session, record)


@sa.event.listens_for(Session, "before_flush")
def _check_flush(session: Session, _context: Any, _instances: Any) -> None:
    for record in [*session.dirty, *session.deleted]:
        if isinstance(record, TransitionLog) and (
                record in session.deleted or session.is_modified(record)):
            raise AccessDenied(_("The transition history cannot be changed."))
    _check_settings(session)
    if not current_actor().system:
        _check_documents(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _refuse_history_statements(state: ORMExecuteState) -> None:
    """Bulk UPDATE / DELETE of the history is refused, even to the system."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ is TransitionLog:
        raise AccessDenied(_("The transition history cannot be changed."))

