"""Life cycles: weekly plans and work reports go to the manager, who comments (and rates)."""

from __future__ import annotations

from addons.crm_team.models import Plan, WorkReport
from addons.crm_team.planning import submitted_plan
from addons.crm_team.work_reports import ready_to_submit
from core.i18n import _l
from core.org import GENERAL_MANAGER, SALES_MANAGER
from core.workflow import State, Transition, Workflow

MANAGERS = (SALES_MANAGER, GENERAL_MANAGER)

PlanFlow = Workflow(
    Plan,
    field=Plan.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted")),
        State("reviewed", _l("Reviewed")),
    ],
    transitions=[
        Transition("submit", _l("Submit to the manager"), source="draft", target="submitted",
                   guard=submitted_plan),
        Transition("review", _l("Comment"), source="submitted", target="reviewed",
                   roles=MANAGERS, requires=(Plan.manager_comment,)),
        Transition("reopen", _l("Back to draft"), source=("submitted", "reviewed"),
                   target="draft"),
    ],
)

ReportFlow = Workflow(
    WorkReport,
    field=WorkReport.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("reviewed", _l("Reviewed"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit to the manager"), source="draft", target="submitted",
                   guard=ready_to_submit),
        Transition("review", _l("Comment and rate"), source="submitted", target="reviewed",
                   roles=MANAGERS, requires=(WorkReport.manager_comment, WorkReport.rating)),
        Transition("reopen", _l("Back to draft"), source="submitted", target="draft",
                   roles=MANAGERS, comment_required=True),
    ],
)

WORKFLOWS = [PlanFlow, ReportFlow]
