"""Rights of the bridge: tenders for the deals; marketing sees the expense claims
charged to campaigns (their cost). Competitor products and moves are
crm_marketing's (#16)."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_expense.models import ExpenseClaim, ExpenseClaimLine
from addons.crm_marketing_funnel.models import Tender
from core.access import DIVISION, Access, RecordRule, Scope, via
from core.context import Actor
from core.i18n import _l
from core.org import FINANCE, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP


def _campaign_lines(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return ExpenseClaimLine.campaign_id.is_not(None)


def _campaign_claims(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return ExpenseClaim.id.in_(sa.select(ExpenseClaimLine.claim_id).where(
        ExpenseClaimLine.campaign_id.is_not(None)))


CAMPAIGN_LINES = Scope(_l("expenses charged to a campaign"), _campaign_lines)
CAMPAIGN_CLAIMS = Scope(_l("claims charged to a campaign"), _campaign_claims)

ACCESS = [
    Access(Tender, (SALES_REP, SALES_MANAGER, MARKETING), read=True, create=True, write=True),
    Access(Tender, (GENERAL_MANAGER, FINANCE), read=True),
]

RULES = [
    # The tender database is shared with marketing and management; a rep sees the
    # tenders of the deals they see.
    RecordRule(Tender, (MARKETING, SALES_MANAGER, GENERAL_MANAGER, FINANCE), DIVISION),
    RecordRule(Tender, SALES_REP, via(Tender.opportunity_id)),
    RecordRule(ExpenseClaimLine, MARKETING, CAMPAIGN_LINES),
    RecordRule(ExpenseClaim, MARKETING, CAMPAIGN_CLAIMS),
]
