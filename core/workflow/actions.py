"""What a user may do to a document now, and doing it by name (form buttons, API, kanban).

`act(session, record, "approve")` on a document waiting for the actor's
decision approves their step; any other name fires the transition. So the
API's `POST /api/v1/<model>/<id>/actions/<name>` and the form's buttons need
one call.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.access.policy import model_label, policy_of
from core.context import Actor, current_actor
from core.errors import TransitionRefused
from core.fields import FieldInfo, field_info
from core.i18n import _
from core.workflow import approval, engine, rounds
from core.workflow.declarations import Transition, Workflow
from core.workflow.engine import Action
from core.workflow.models import ApprovalTask, TransitionLog
from core.workflow.registry import workflows_of


def _may_write(session: Session, actor: Actor, model: type) -> bool:
    policy = policy_of(session)
    return actor.system or policy is None or policy.allowed(actor, model, "write")


def _offered(workflow: Workflow, transition: Transition, record: Any, actor: Actor) -> bool:
    if transition.name in workflow.engine_transitions():
        return False
    if workflow.current(record) not in transition.sources or not engine.may_fire(transition, actor):
        return False
    return transition.guard is None or not transition.guard(record, actor)


def _decisions(session: Session, workflow: Workflow, record: Any, actor: Actor) -> list[Action]:
    task = rounds.pending_task_for(session, workflow, record, actor)
    if task is None:
        return []
    result = []
    for name, needs_comment in ((workflow.approved, False), (workflow.rejected, True)):
        transition = workflow.transition(name)
        label = str(transition.label) if transition else name
        result.append(Action(name, label, "decision", comment_required=needs_comment,
                             task_id=task.id))
    return result


def available_transitions(session: Session, record: Any, actor: Actor | None = None) -> list[Action]:
    """The actions `actor` (default: the current one) may take on `record` now.

    Transitions whose state, roles, write right and guard allow them, then
    approve / reject when a step of the open round waits for the actor.
    Addon vetoes are not consulted here (they run when the action is taken).
    """
    actor = actor or current_actor()
    workflow = engine.workflow_of(session, record)
    actions: list[Action] = []
    if _may_write(session, actor, type(record)):
        for transition in workflow.transitions:
            if _offered(workflow, transition, record, actor):
                actions.append(Action(
                    transition.name, str(transition.label), "transition",
                    comment_required=transition.comment_required,
                    requires=tuple(field_info(a) for a in transition.requires)))
    return actions + _decisions(session, workflow, record, actor)


def act(session: Session, record: Any, name: str, *, comment: str | None = None,
        values: dict[str, Any] | None = None) -> TransitionLog | ApprovalTask:
    """Take the action `name` on `record` as the current actor.

    The workflow's approve / reject names decide the actor's pending step
    (an ApprovalTask comes back); other names fire the transition (its
    TransitionLog comes back). Does not commit.
    """
    workflow = engine.workflow_of(session, record)
    if name in workflow.engine_transitions():
        task = rounds.pending_task_for(session, workflow, record, current_actor())
        if task is None:
            raise TransitionRefused(_("No step of this {model} waits for your decision.").format(
                model=model_label(workflow.model)))
        return approval.decide(session, task.id, name == workflow.approved, comment)
    return engine.fire(session, record, name, comment=comment, values=values)


def kanban_move(session: Session, page: Any, record: Any, field: FieldInfo, value: str) -> bool:
    """A kanban mover for `core.web.ui.kanban.move_hooks`: a card dropped in another
    state column fires the transition to that state (False: not a workflow's state)."""
    workflow = workflows_of(session).for_model(type(record))
    if workflow is None or field.name != workflow.state_key:
        return False
    move(session, record, value)
    return True


def move(session: Session, record: Any, state: str, *, comment: str | None = None) -> TransitionLog:
    """Fire the transition that takes `record` to `state` (a kanban card dropped in a column).

    The first transition the actor may fire from the current state to `state`
    is used; none is a TransitionRefused.
    """
    workflow = engine.workflow_of(session, record)
    actor = current_actor()
    for action in available_transitions(session, record, actor):
        transition = workflow.transition(action.name)
        if action.kind == "transition" and transition is not None and transition.target == state:
            return engine.fire(session, record, action.name, comment=comment)
    target = workflow.state(state)
    raise TransitionRefused(_("This {model} cannot be moved to {state} now.").format(
        model=model_label(workflow.model), state=str(target.label) if target else state))
