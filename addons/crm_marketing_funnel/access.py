"""Rights of the bridge: reps report competitor moves; marketing keeps the competitor
records and sees the expense claims charged to campaigns (their cost)."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_expense.models import ExpenseClaim, ExpenseClaimLine
from addons.crm_marketing_funnel.models import CompetitorMove, CompetitorProduct, Tender
from core.access import DIVISION, Access, RecordRule, Scope, via
from core.context import Actor
from core.i18n import _l
from core.org import (
    ALL_STAFF,
    FINANCE,
    GENERAL_MANAGER,
    MARKETING,
    SALES_MANAGER,
    SALES_REP,
    SERVICE,
)


def _campaign_lines(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return ExpenseClaimLine.campaign_id.is_not(None)


def _campaign_claims(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return ExpenseClaim.id.in_(sa.select(ExpenseClaimLine.claim_id).where(
        ExpenseClaimLine.campaign_id.is_not(None)))


CAMPAIGN_LINES = Scope(_l("expenses charged to a campaign"), _campaign_lines)
CAMPAIGN_CLAIMS = Scope(_l("claims charged to a campaign"), _campaign_claims)

ACCESS = [
    Access(CompetitorProduct, ALL_STAFF, read=True),
    Access(CompetitorProduct, (MARKETING, SALES_MANAGER), read=True, create=True, write=True,
           delete=True),
    Access(CompetitorProduct, SALES_REP, read=True, create=True, write=True),
    Access(CompetitorMove, (SALES_REP, MARKETING, SALES_MANAGER, SERVICE), read=True,
           create=True, write=True),
    Access(CompetitorMove, (GENERAL_MANAGER, FINANCE), read=True),
    Access(Tender, (SALES_REP, SALES_MANAGER, MARKETING), read=True, create=True, write=True),
    Access(Tender, (GENERAL_MANAGER, FINANCE), read=True),
]

RULES = [
    RecordRule(CompetitorProduct, ALL_STAFF, DIVISION),
    # Competitor intelligence is shared within the division.
    RecordRule(CompetitorMove, ALL_STAFF, DIVISION),
    # The tender database is shared with marketing and management; a rep sees the
    # tenders of the deals they see.
    RecordRule(Tender, (MARKETING, SALES_MANAGER, GENERAL_MANAGER, FINANCE), DIVISION),
    RecordRule(Tender, SALES_REP, via(Tender.opportunity_id)),
    RecordRule(ExpenseClaimLine, MARKETING, CAMPAIGN_LINES),
    RecordRule(ExpenseClaim, MARKETING, CAMPAIGN_CLAIMS),
]
