"""The approvals inbox (#4): what waits for me, what I submitted; approve / reject from it.

Also the POST that takes a workflow action from a document's page, and
`panel()`, the context a form page needs to show the document's actions and
approval trail (template `approvals_panel.html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from core.context import Actor, current_actor
from core.errors import KehuError, NotFound
from core.fields import model_label
from core.i18n import _
from core.kernel import Kernel
from core.web.pages import flash, render
from core.web.security import safe_next
from core.web.ui.common import page_context
from core.workflow import (
    OVERDUE_AFTER,
    Action,
    HistoryEntry,
    TrailRound,
    act,
    available_transitions,
    decide,
    history,
    pending_for,
    submitted_by,
    trail,
)
from core.workflow.approval import document
from core.workflow.registry import workflows_of

# Form fields of an action POST that are not values of the document.
_CONTROL_FIELDS = frozenset({"csrf_token", "comment", "next"})


@dataclass(frozen=True)
class Panel:
    """A document's workflow as its page shows it: state, actions, rounds, history."""

    key: str
    record_id: int
    state: str
    actions: list[Action]
    rounds: list[TrailRound]
    history: list[HistoryEntry]

    def action_url(self, name: str) -> str:
        """Where the button of action `name` posts."""
        return f"/workflow/{self.key}/{self.record_id}/{name}"


def panel(session: Any, record: Any, actor: Actor | None = None) -> Panel | None:
    """The workflow panel of `record` (None when its model has no workflow)."""
    workflow = workflows_of(session).for_model(type(record))
    if workflow is None:
        return None
    state = workflow.state(workflow.current(record))
    return Panel(
        key=workflow.key, record_id=record.id,
        state=str(state.label) if state else workflow.current(record),
        actions=available_transitions(session, record, actor or current_actor()),
        rounds=trail(session, record), history=history(session, record),
    )


def _kernel(request: Request) -> Kernel:
    kernel: Kernel = request.app.state.kernel
    return kernel


def _inbox_context(request: Request, **extra: Any) -> dict[str, Any]:
    actor = current_actor()
    with _kernel(request).session() as session:
        waiting = pending_for(session, actor)
        mine = submitted_by(session, actor)
    return page_context(request, waiting=waiting, mine=mine,
                        overdue_days=OVERDUE_AFTER.days, **extra)


async def inbox(request: Request) -> Response:
    """GET /approvals: steps waiting for me (also as a delegate), and my submissions."""
    context = await run_in_threadpool(_inbox_context, request)
    return render(request, "approvals.html", **context)


def _decide(request: Request, task_id: int, approve: bool, comment: str) -> None:
    with _kernel(request).sessions.begin() as session:
        decide(session, task_id, approve, comment)


async def _decision(request: Request, approve: bool) -> Response:
    task_id = int(request.path_params["task_id"])
    form = await request.form()
    comment = str(form.get("comment") or "")
    try:
        await run_in_threadpool(_decide, request, task_id, approve, comment)
    except KehuError as error:
        context = await run_in_threadpool(_inbox_context, request, error=error,
                                          failed_task=task_id, comment=comment)
        return render(request, "approvals.html", status_code=error.status, **context)
    return RedirectResponse(safe_next(form.get("next"), "/approvals"), status_code=303)


async def approve(request: Request) -> Response:
    """POST /approvals/<task>/approve."""
    return await _decision(request, True)


async def reject(request: Request) -> Response:
    """POST /approvals/<task>/reject (a comment is required)."""
    return await _decision(request, False)


def _act(request: Request, key: str, record_id: int, name: str, data: dict[str, str]) -> str:
    workflow = workflows_of(request).for_key(key)
    if workflow is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    values = {k: v for k, v in data.items() if k not in _CONTROL_FIELDS}
    with _kernel(request).sessions.begin() as session:
        record = document(session, workflow, record_id)
        act(session, record, name, comment=data.get("comment"), values=values or None)
        state = workflow.state(workflow.current(record))
        # The notice after the action (#19): where the document is now.
        return _("{model} is now {state}.").format(
            model=model_label(workflow.model), state=str(state.label) if state else "")


async def run_action(request: Request) -> Response:
    """POST /workflow/<model key>/<id>/<action>: a form's workflow button."""
    key, name = request.path_params["key"], request.path_params["name"]
    record_id = int(request.path_params["record_id"])
    form = await request.form()
    data = {k: str(v) for k, v in form.items()}
    back = safe_next(data.get("next"), f"/m/{key}/{record_id}")
    try:
        notice = await run_in_threadpool(_act, request, key, record_id, name, data)
    except KehuError as error:
        if back == f"/m/{key}/{record_id}" and not isinstance(error, NotFound):
            # From the record's page: back on it, the refusal shown there (#19).
            from core.web.ui.forms import record_page  # forms imports this module's panel

            return await record_page(request, key, record_id, status_code=error.status,
                                     failure=error)
        fields = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        message = f"{error.message} {fields}".strip() if fields else error.message
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Not done"), message=message, back=back))
    return flash(request, RedirectResponse(back, status_code=303), notice)


def approval_routes() -> list[BaseRoute]:
    """The inbox and the workflow action routes."""
    return [
        Route("/approvals", inbox, name="approvals"),
        Route("/approvals/{task_id:int}/approve", approve, methods=["POST"],
              name="approval_approve"),
        Route("/approvals/{task_id:int}/reject", reject, methods=["POST"], name="approval_reject"),
        Route("/workflow/{key}/{record_id:int}/{name}", run_action, methods=["POST"],
              name="workflow_action"),
    ]
