"""Save-time completion: a deal keeps its lead's campaign; a tender names its owner and
its deal's region. (Competitor moves are completed by crm_marketing, #16.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from addons.crm_funnel.models import Lead, Opportunity
from addons.crm_marketing_funnel.models import Tender
from core.context import current_actor, system_context
from core.errors import ValidationError
from core.i18n import _


def _carry_campaign(session: Session, lead: Lead) -> None:
    """A lead qualified into a deal hands the deal its campaign (the ROI loop, #16)."""
    campaign_id = getattr(lead, "campaign_id", None)
    if campaign_id is None or lead.opportunity_id is None:
        return
    with system_context(), session.no_autoflush:
        deal = session.get(Opportunity, lead.opportunity_id)
    if deal is not None and getattr(deal, "campaign_id", None) is None:
        deal.campaign_id = campaign_id  # type: ignore[attr-defined]


def _prepare_tender(session: Session, tender: Tender) -> None:
    """A tender belongs to its author and takes its deal's region unless given."""
    actor = current_actor()
    if tender.owner_id is None and actor.user_id is not None:
        tender.owner_id = actor.user_id
    if tender.region_id is None and tender.opportunity_id is not None:
        with system_context(), session.no_autoflush:
            deal = session.get(Opportunity, tender.opportunity_id)
        tender.region_id = deal.region_id if deal is not None else None
    if tender.winning_price is not None and tender.result == "pending":
        message = _("Enter the result before the winning price.")
        raise ValidationError(message, fields={"result": message})


def prepare(session: Session, records: list[Any]) -> None:
    """Complete the bridge's records of one flush."""
    for record in records:
        if isinstance(record, Tender):
            _prepare_tender(session, record)
        if isinstance(record, Lead):
            _carry_campaign(session, record)
