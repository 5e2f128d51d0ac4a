"""Life cycles of channel documents: agreements, orders, returns, adjustments,
inspections and rebates, each with the kernel's approval rounds.

Orders: saved → submitted (the approval round: the rep's superior, then the
general manager above `GM_THRESHOLD`) → approved → processed (the ERP writes its
order number back through the API) → shipped (the ERP reports shipments until
nothing is back-ordered) → closed (received); void before processing. Returns
follow the same road to `processed` (the ERP's return number).
"""

from __future__ import annotations

from decimal import Decimal

from addons.crm_channel.models import (
    Agreement,
    Inspection,
    Order,
    Period,
    Rebate,
    ReturnRequest,
    StockAdjustment,
)
from core.i18n import _l
from core.org import ADMIN, FINANCE, GENERAL_MANAGER, INTEGRATION, SALES_MANAGER
from core.workflow import ApprovalStep, State, Transition, Workflow

GM_THRESHOLD = Decimal("100000")
ERP = (INTEGRATION, ADMIN)


def _large(document: Order | ReturnRequest) -> bool:
    return document.total is not None and document.total > GM_THRESHOLD


def _approval_flow(model: type, states: list[State], extra: list[Transition],
                   chain: list[ApprovalStep], *, start: str = "draft") -> Workflow:
    """submit (approval) → approve / reject back to `start`, plus `extra` transitions."""
    return Workflow(
        model, field=model.state,  # type: ignore[attr-defined]
        states=states,
        transitions=[
            Transition("submit", _l("Submit"), source=start, target="submitted", approval=True),
            Transition("approve", _l("Approve"), source="submitted", target="approved"),
            Transition("reject", _l("Reject"), source="submitted", target=start,
                       comment_required=True),
            *extra,
        ],
        chain=chain,
    )


AgreementFlow = _approval_flow(
    Agreement,
    [State("draft", _l("Draft")), State("submitted", _l("Submitted"), locked=True),
     State("approved", _l("In force"), locked=True),
     State("terminated", _l("Terminated"), locked=True)],
    [Transition("terminate", _l("Terminate"), source="approved", target="terminated",
                roles=(SALES_MANAGER, GENERAL_MANAGER), comment_required=True)],
    [ApprovalStep.direct_manager(label=_l("Direct superior")),
     ApprovalStep.by_role(GENERAL_MANAGER, label=_l("General manager"))],
)

OrderFlow = _approval_flow(
    Order,
    [State("saved", _l("Saved")), State("submitted", _l("Submitted"), locked=True),
     State("approved", _l("Approved"), locked=True),
     State("processed", _l("Processed in the ERP"), locked=True),
     State("shipped", _l("Shipped"), locked=True), State("closed", _l("Closed"), locked=True),
     State("void", _l("Void"), locked=True)],
    [Transition("process", _l("Processed in the ERP"), source="approved", target="processed",
                roles=ERP, requires=(Order.erp_order_no,)),
     Transition("ship", _l("Shipped"), source="processed", target="shipped", roles=ERP),
     Transition("close", _l("Close (received)"), source="shipped", target="closed"),
     Transition("void", _l("Void"), source=("saved", "submitted", "approved"), target="void",
                comment_required=True)],
    [ApprovalStep.direct_manager(label=_l("Direct superior")),
     ApprovalStep.by_role(GENERAL_MANAGER, label=_l("General manager"),
                          reason=_l("Above 100,000 yuan"), when=_large)],
    start="saved",
)

ReturnFlow = _approval_flow(
    ReturnRequest,
    [State("saved", _l("Saved")), State("submitted", _l("Submitted"), locked=True),
     State("approved", _l("Approved"), locked=True),
     State("processed", _l("Processed in the ERP"), locked=True),
     State("void", _l("Void"), locked=True)],
    [Transition("process", _l("Processed in the ERP"), source="approved", target="processed",
                roles=ERP, requires=(ReturnRequest.erp_return_no,)),
     Transition("void", _l("Void"), source=("saved", "submitted", "approved"), target="void",
                comment_required=True)],
    [ApprovalStep.direct_manager(label=_l("Direct superior"))],
    start="saved",
)

AdjustmentFlow = _approval_flow(
    StockAdjustment,
    [State("draft", _l("Draft")), State("submitted", _l("Submitted"), locked=True),
     State("approved", _l("Approved"), locked=True)],
    [],
    [ApprovalStep.direct_manager(label=_l("Direct superior"))],
)

InspectionFlow = _approval_flow(
    Inspection,
    [State("draft", _l("Draft")), State("submitted", _l("Submitted"), locked=True),
     State("approved", _l("Confirmed"), locked=True), State("closed", _l("Closed"), locked=True)],
    [Transition("close", _l("Close"), source="approved", target="closed")],
    [ApprovalStep.direct_manager(label=_l("Direct superior"))],
)

RebateFlow = _approval_flow(
    Rebate,
    [State("draft", _l("Draft")), State("submitted", _l("Submitted"), locked=True),
     State("approved", _l("Approved"), locked=True)],
    [],
    [ApprovalStep.by_role(FINANCE, label=_l("Finance"))],
)

PeriodFlow = Workflow(
    Period, field=Period.state,
    states=[State("open", _l("Open")), State("closed", _l("Closed"), locked=True)],
    transitions=[
        Transition("close", _l("Close the period"), source="open", target="closed",
                   roles=(SALES_MANAGER, FINANCE, GENERAL_MANAGER)),
        Transition("reopen", _l("Reopen"), source="closed", target="open",
                   roles=(GENERAL_MANAGER,), comment_required=True),
    ],
)

WORKFLOWS = [AgreementFlow, OrderFlow, ReturnFlow, AdjustmentFlow, InspectionFlow, RebateFlow,
             PeriodFlow]
