"""A mistaken workflow declaration stops start-up with an error naming the addon (#4)."""

from __future__ import annotations

import sys

import pytest

from core.addons import AddonError
from core.workflow import ApprovalStep, State, Transition, Workflow
from core.workflow.registry import collect_workflows
from tests.core.workflow_fixtures import ADDONS

if str(ADDONS) not in sys.path:
    sys.path.append(str(ADDONS))  # the addon loader imports the sample the same way

from wf_expense.models import ExpenseNote  # noqa: E402
from wf_expense.workflow import ExpenseFlow  # noqa: E402

STATES = [State("draft", "Draft"), State("submitted", "Submitted", locked=True),
          State("approved", "Approved", locked=True)]
SUBMIT = Transition("submit", "Submit", source="draft", target="submitted", approval=True)
APPROVE = Transition("approve", "Approve", source="submitted", target="approved")
REJECT = Transition("reject", "Reject", source="submitted", target="draft")


def flow_with(**changes) -> Workflow:
    options = {"states": STATES, "transitions": [SUBMIT, APPROVE, REJECT],
               "field": ExpenseNote.state, **changes}
    return Workflow(ExpenseNote, **options)


def refused(workflow: Workflow) -> str:
    with pytest.raises(AddonError) as error:
        collect_workflows([("demo_addon", workflow)])
    return str(error.value)


def test_the_sample_workflow_is_valid_and_names_its_transitions() -> None:
    assert collect_workflows([("wf_expense", ExpenseFlow)]) == {ExpenseNote: ExpenseFlow}
    assert ExpenseFlow.submit.approval and ExpenseFlow.initial == "draft"
    assert ExpenseFlow.engine_transitions() == {"approve", "reject"}
    with pytest.raises(AttributeError):
        ExpenseFlow.fly  # noqa: B018


@pytest.mark.parametrize(("changes", "problem"), [
    ({"states": [*STATES, State("archived", "Archived")]},
     "state 'archived' cannot be reached from 'draft'"),
    ({"transitions": [SUBMIT, APPROVE, REJECT,
                      Transition("lose", "Lose", source="draft", target="lost")]},
     "transition 'lose': unknown state 'lost'"),
    ({"transitions": [SUBMIT, APPROVE, REJECT,
                      Transition("note", "Note", source="draft", target="draft",
                                 requires=(ExpenseNote.title.expression.label("x"),))]},
     "transition 'note': required field"),
    ({"states": [State("draft", "Draft"), State("submitted", "Submitted"),
                 State("approved", "Approved")]},
     "its target state 'submitted' must be locked"),
    ({"transitions": [SUBMIT, APPROVE]}, "no transition 'reject' to end the round"),
    ({"field": ExpenseNote.title.expression}, "is not a column of the model"),
    ({"chain": [ApprovalStep("role")]}, "default chain: a 'role' step needs its role"),
    ({"transitions": [SUBMIT, APPROVE, REJECT,
                      Transition("states", "x", source="draft", target="draft")]},
     "transition 'states': the name is reserved"),
])
def test_each_mistake_is_named_with_the_addon(changes, problem) -> None:
    message = refused(flow_with(**changes))
    assert message.startswith("addon 'demo_addon': workflow of ExpenseNote: ")
    assert problem in message


def test_one_model_has_one_workflow_and_only_workflows_are_accepted() -> None:
    with pytest.raises(AddonError, match="ExpenseNote already has a workflow .from addon 'one'."):
        collect_workflows([("one", flow_with()), ("two", flow_with())])
    with pytest.raises(AddonError, match="addon 'odd' registered 'x', which is not a Workflow"):
        collect_workflows([("odd", "x")])
