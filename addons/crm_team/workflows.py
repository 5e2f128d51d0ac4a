"""Life cycles: weekly plans and work reports go to the manager, who comments (and rates);
travel requests are approved through the division's approval chain."""

from __future__ import annotations

from decimal import Decimal

from addons.crm_team.models import Plan, Trip, WorkReport
from addons.crm_team.planning import submitted_plan
from addons.crm_team.work_reports import ready_to_submit
from core.i18n import _l
from core.org import GENERAL_MANAGER, SALES_MANAGER
from core.workflow import ApprovalStep, State, Transition, Workflow

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

# Trips estimated above this also need the general manager (an administrator may
# configure another chain per division under Approval chains).
TRIP_GM_THRESHOLD = Decimal("5000")


def _costly(trip: Trip) -> bool:
    return trip.estimated_cost is not None and trip.estimated_cost > TRIP_GM_THRESHOLD


TripFlow = Workflow(
    Trip,
    field=Trip.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("approved", _l("Approved"), locked=True),
        State("cancelled", _l("Cancelled"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit for approval"), source="draft", target="submitted",
                   approval=True),
        Transition("approve", _l("Approve"), source="submitted", target="approved"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
        Transition("cancel", _l("Cancel the trip"), source=("draft", "approved"),
                   target="cancelled", comment_required=True),
    ],
    chain=[
        ApprovalStep.direct_manager(label=_l("Direct superior")),
        ApprovalStep.by_role(GENERAL_MANAGER, label=_l("General manager"),
                             reason=_l("Estimated above 5,000 yuan"), when=_costly),
    ],
)

WORKFLOWS = [PlanFlow, ReportFlow, TripFlow]
