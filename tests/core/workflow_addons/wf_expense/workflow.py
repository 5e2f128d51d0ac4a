"""draft → submitted → approved; rejected back to draft; cancelled with a reason."""

from __future__ import annotations

from typing import Any

from core.context import Actor
from core.i18n import _, _l
from core.org import FINANCE
from core.workflow import ApprovalStep, State, Transition, Workflow
from wf_expense.models import ExpenseNote


def _only_the_submitter(record: Any, actor: Actor) -> str | None:
    """A note is recalled by whoever created it."""
    if actor.user_id != record.create_uid:
        return _("Only the submitter may recall this note.")
    return None


ExpenseFlow = Workflow(
    ExpenseNote,
    field=ExpenseNote.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("approved", _l("Approved"), locked=True),
        State("cancelled", _l("Cancelled"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True),
        Transition("approve", _l("Approve"), source="submitted", target="approved"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
        Transition("recall", _l("Recall"), source="submitted", target="draft",
                   guard=_only_the_submitter),
        Transition("cancel", _l("Cancel"), source="draft", target="cancelled",
                   requires=(ExpenseNote.cancel_reason,)),
    ],
    chain=[ApprovalStep.direct_manager(), ApprovalStep.by_role(FINANCE)],
)
