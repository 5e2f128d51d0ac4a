"""Life cycles of the campaign application and its close-out.

The application (活动申请单) is approved by the organizer's direct superior, and
also by the general manager when its budget is above the category's threshold.
The close-out (活动结案单) is approved by the superior and finance (and the
general manager above the same threshold); when its round ends approved, the
system closes the campaign (`close`), which locks it for good.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from addons.crm_marketing.models import Campaign, CampaignCloseout
from addons.crm_marketing.models.inspection import InspectionCase
from addons.crm_marketing.models.materials import MaterialReceipt, MaterialRequest
from addons.crm_marketing.models.surveys import Survey
from addons.crm_marketing.rules import (
    closeout_ready,
    has_budget,
    has_closeout_approved,
    has_lines,
    has_questions,
    request_ready,
)
from core.i18n import _l
from core.org import FINANCE, GENERAL_MANAGER, MARKETING
from core.workflow import ApprovalStep, State, Transition, Workflow


def _threshold(campaign: Campaign | None) -> Decimal:
    category = campaign.category if campaign is not None else None
    return category.gm_threshold if category is not None else Decimal("50000")


def _above_threshold(document: Any) -> bool:
    if isinstance(document, CampaignCloseout):
        return (document.total or Decimal("0")) > _threshold(document.campaign)
    return (document.budget_total or Decimal("0")) > _threshold(document)


CampaignFlow = Workflow(
    Campaign,
    field=Campaign.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("approved", _l("Approved"), locked=True),
        State("closed", _l("Closed out"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True,
                   guard=has_budget),
        Transition("approve", _l("Approve"), source="submitted", target="approved"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
        # Fired by the system when the close-out is approved; refused by hand before.
        Transition("close", _l("Close out"), source="approved", target="closed",
                   guard=has_closeout_approved),
    ],
    chain=[
        ApprovalStep.direct_manager(label=_l("Direct superior")),
        ApprovalStep.by_role(GENERAL_MANAGER, label=_l("General manager"),
                             reason=_l("Budget above the category's threshold"),
                             when=_above_threshold),
    ],
)

CloseoutFlow = Workflow(
    CampaignCloseout,
    field=CampaignCloseout.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("approved", _l("Approved"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True,
                   guard=closeout_ready),
        Transition("approve", _l("Approve"), source="submitted", target="approved"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
    ],
    chain=[
        ApprovalStep.direct_manager(label=_l("Direct superior")),
        ApprovalStep.by_role(FINANCE, label=_l("Finance")),
        ApprovalStep.by_role(GENERAL_MANAGER, label=_l("General manager"),
                             reason=_l("Actual cost above the category's threshold"),
                             when=_above_threshold),
    ],
)

# A material request is approved by the requester's superior; approving issues the
# items out of stock (crm_marketing's kehu_on_transition), refused when short.
RequestFlow = Workflow(
    MaterialRequest,
    field=MaterialRequest.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("issued", _l("Issued"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True,
                   guard=request_ready),
        Transition("issue", _l("Issue"), source="submitted", target="issued"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
    ],
    chain=[ApprovalStep.direct_manager(label=_l("Direct superior"))],
    approved="issue",
)

# Marketing posts what arrives (a purchase) or comes back (a return) into stock.
ReceiptFlow = Workflow(
    MaterialReceipt,
    field=MaterialReceipt.state,
    states=[State("draft", _l("Draft")), State("posted", _l("Posted"), locked=True)],
    transitions=[Transition("post", _l("Post into stock"), source="draft", target="posted",
                            roles=(MARKETING,), guard=has_lines)],
)

# A survey is edited as a draft, answered while open (its questions fixed), then closed.
SurveyFlow = Workflow(
    Survey,
    field=Survey.state,
    states=[State("draft", _l("Draft")), State("open", _l("Open"), locked=True),
            State("closed", _l("Closed"), locked=True)],
    transitions=[
        Transition("open", _l("Open for answers"), source="draft", target="open",
                   roles=(MARKETING,), guard=has_questions),
        Transition("close", _l("Close"), source="open", target="closed", roles=(MARKETING,)),
    ],
)

# A counterfeit or infringement case: reported, investigated by marketing, closed with
# its outcome.
InspectionFlow = Workflow(
    InspectionCase,
    field=InspectionCase.state,
    states=[State("reported", _l("Reported")), State("investigating", _l("Investigating")),
            State("closed", _l("Closed"), locked=True)],
    transitions=[
        Transition("investigate", _l("Investigate"), source="reported", target="investigating",
                   roles=(MARKETING,)),
        Transition("close", _l("Close"), source=("reported", "investigating"), target="closed",
                   roles=(MARKETING,), requires=(InspectionCase.outcome,)),
    ],
)

WORKFLOWS = [CampaignFlow, CloseoutFlow, RequestFlow, ReceiptFlow, SurveyFlow, InspectionFlow]
