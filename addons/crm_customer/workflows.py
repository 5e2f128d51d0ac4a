"""Life cycles: a customer's status (to formal customer, 转正式客户) and a service ticket's."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from addons.crm_customer.models import Customer, Ticket
from core.context import Actor, system_context
from core.i18n import _, _l
from core.org import SALES_MANAGER, SERVICE
from core.workflow import State, Transition, Workflow
from core.workflow.models import ApprovalChain

CONVERSION_FIELDS = (Customer.type_id, Customer.industry_id, Customer.region_id,
                     Customer.address, Customer.phone)


def conversion_needs_approval(customer: Customer) -> bool:
    """Whether the customer's division approves conversions: an administrator set up an
    active approval chain for "Submit the conversion" (none: reps convert directly)."""
    session = object_session(customer)
    if session is None:
        return False
    with system_context(), session.no_autoflush:
        found = session.scalar(sa.select(ApprovalChain.id).where(
            ApprovalChain.division_id == customer.division_id,
            ApprovalChain.model == Customer.__tablename__,
            ApprovalChain.transition == "submit_conversion",
            ApprovalChain.active.is_(True)).limit(1))
    return found is not None


def _directly(customer: Any, actor: Actor) -> str | None:
    if conversion_needs_approval(customer):
        return _("This division approves conversions: submit the conversion instead.")
    return None


def _with_approval(customer: Any, actor: Actor) -> str | None:
    if not conversion_needs_approval(customer):
        return _("This division converts customers without approval: convert directly.")
    return None


CustomerFlow = Workflow(
    Customer,
    field=Customer.status,
    states=[
        State("prospect", _l("Prospect")),
        State("to_identify", _l("To identify")),
        State("opportunity", _l("Opportunity customer")),
        State("converting", _l("Conversion awaiting approval"), locked=True),
        State("formal", _l("Formal customer")),
        State("lost", _l("Lost")),
        State("stopped", _l("Stopped trading")),
        State("bankrupt", _l("Bankrupt")),
    ],
    transitions=[
        Transition("identify", _l("Confirm as prospect"), source="to_identify",
                   target="prospect"),
        Transition("recheck", _l("Back to identification"), source="prospect",
                   target="to_identify"),
        Transition("qualify", _l("Has an opportunity"), source=("to_identify", "prospect"),
                   target="opportunity"),
        Transition("convert", _l("Convert to formal customer"),
                   source=("to_identify", "prospect", "opportunity"), target="formal",
                   requires=CONVERSION_FIELDS, guard=_directly),
        Transition("submit_conversion", _l("Submit the conversion for approval"),
                   source=("to_identify", "prospect", "opportunity"), target="converting",
                   requires=CONVERSION_FIELDS, guard=_with_approval, approval=True),
        Transition("approve_conversion", _l("Approve the conversion"), source="converting",
                   target="formal"),
        Transition("reject_conversion", _l("Reject the conversion"), source="converting",
                   target="prospect", comment_required=True),
        Transition("lose", _l("Mark as lost"),
                   source=("to_identify", "prospect", "opportunity", "formal"), target="lost"),
        Transition("stop", _l("Stop trading"), source="formal", target="stopped"),
        Transition("resume", _l("Resume trading"), source=("stopped", "lost"), target="formal",
                   roles=(SALES_MANAGER,)),
        Transition("reactivate", _l("Back to prospect"), source=("lost", "stopped"),
                   target="prospect"),
        Transition("close_down", _l("Mark as bankrupt"),
                   source=("prospect", "opportunity", "formal", "lost", "stopped"),
                   target="bankrupt", comment_required=True),
    ],
    approved="approve_conversion",
    rejected="reject_conversion",
)

TicketFlow = Workflow(
    Ticket,
    field=Ticket.state,
    states=[
        State("new", _l("New")),
        State("assigned", _l("Assigned")),
        State("resolved", _l("Resolved")),
        State("confirmed", _l("Confirmed by the customer")),
        State("closed", _l("Closed"), locked=True),
    ],
    transitions=[
        Transition("assign", _l("Assign"), source="new", target="assigned",
                   roles=(SERVICE, SALES_MANAGER), requires=(Ticket.assignee_id,)),
        Transition("resolve", _l("Resolve"), source="assigned", target="resolved",
                   requires=(Ticket.resolution,)),
        Transition("reopen", _l("Reopen"), source=("resolved", "confirmed"), target="assigned",
                   comment_required=True),
        Transition("confirm", _l("Customer confirms"), source="resolved", target="confirmed"),
        Transition("close", _l("Close"), source="confirmed", target="closed",
                   requires=(Ticket.satisfaction,)),
    ],
)

WORKFLOWS = [CustomerFlow, TicketFlow]
