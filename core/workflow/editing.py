"""What a document's state and the actor allow now, asked without writing: one answer for
the server's checks and for the pages that offer Edit, Save, Delete and workflow buttons
(#19), so a form never offers what the server refuses.

`locked_now` is the flush check's rule (`locks.py`: `Workflow.locked`); `refusal` runs the
engine's own checks of `fire` (rights, state, roles, guard, the addons' vetoes, the
approval chain's approvers) and stops before the first write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.context import Actor, acting_as, current_actor
from core.errors import KehuError
from core.workflow import chains, engine
from core.workflow.actions import available_transitions
from core.workflow.engine import Action
from core.workflow.registry import workflows_of


def locked_now(record: Any) -> bool:
    """Whether `record` sits in a locked state of its workflow, so that the flush
    check refuses any change of it and its deletion (the system context excepted)."""
    workflow = workflows_of(record).for_model(type(record))
    if workflow is None or current_actor().system:
        return False
    return workflow.locked(workflow.current(record))


def refusal(session: Session, record: Any, name: str, actor: Actor | None = None) -> str | None:
    """Why firing the transition `name` on `record` would be refused now, or None when
    `fire` would go ahead (given its comment and required values). Writes nothing."""
    actor = actor or current_actor()
    try:
        with acting_as(actor):
            workflow = engine.workflow_of(session, record)
            transition = engine._transition(workflow, name)
            if name in workflow.engine_transitions():
                return str(transition.label)  # only the approval chain's outcome fires it
            engine._check_rights(session, record, actor)
            engine._check_source(workflow, transition, record)
            engine._check_roles(workflow, transition, actor)
            engine._check_guard_and_vetoes(session, record, transition, actor)
            if transition.approval:
                chains.plan(session, record, workflow, transition, actor)
    except KehuError as error:
        return error.message
    return None


def allowed_actions(session: Session, record: Any, actor: Actor | None = None) -> list[Action]:
    """The actions to offer on `record`'s page: `available_transitions` less the
    transitions `refusal` refuses (an addon's veto, a chain with nobody to approve)."""
    actor = actor or current_actor()
    return [action for action in available_transitions(session, record, actor)
            if action.kind != "transition" or refusal(session, record, action.name, actor) is None]
