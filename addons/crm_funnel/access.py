"""Who may do what in the funnel, and which deals each role sees.

Opportunities mirror the customer master (crm_customer/access.py): a rep sees
their own deals and those of their regions within their product lines, a
manager the department subtree they manage and their regions, the general
manager and the back office the whole division (HQ: every division).
"""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_funnel.models import (
    Contract,
    ContractLine,
    DealCompetitor,
    DealPartner,
    DecisionMaker,
    ForecastSnapshot,
    FunnelSetting,
    Lead,
    LeadRule,
    LostReason,
    Opportunity,
    PriceHistory,
    Quote,
    QuoteLine,
    SalesMode,
    SalesTarget,
    Stage,
    StageMove,
)
from core.access import DEPARTMENT, DIVISION, OWN, PRODUCT_LINES, REGIONS, Access, RecordRule
from core.access.policy import applying_policy
from core.access.rules import Scope
from core.context import Actor
from core.i18n import _l
from core.org import FINANCE, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP, SERVICE

STAFF = (SALES_REP, SALES_MANAGER, GENERAL_MANAGER, MARKETING, FINANCE, SERVICE)
BACK_OFFICE = (MARKETING, FINANCE, SERVICE)

ACCESS = [
    # Sales modes, stages and lost reasons are edited by administrators (who hold
    # every right); everybody else reads them.
    Access(SalesMode, STAFF, read=True),
    Access(Stage, STAFF, read=True),
    Access(LostReason, STAFF, read=True),
    Access(Opportunity, SALES_REP, read=True, create=True, write=True),
    Access(Opportunity, SALES_MANAGER, read=True, create=True, write=True, delete=True),
    Access(Opportunity, GENERAL_MANAGER, read=True, write=True),
    Access(Opportunity, BACK_OFFICE, read=True),
    Access(StageMove, STAFF, read=True),
    # The deal's people are edited with the deal.
    *[Access(model, (SALES_REP, SALES_MANAGER), read=True, create=True, write=True, delete=True)
      for model in (DecisionMaker, DealCompetitor, DealPartner)],
    *[Access(model, (GENERAL_MANAGER, *BACK_OFFICE), read=True)
      for model in (DecisionMaker, DealCompetitor, DealPartner)],
    # Contracts come from won deals; finance may correct them.
    *[Access(model, (SALES_REP, SALES_MANAGER, FINANCE), read=True, create=True, write=True)
      for model in (Contract, ContractLine)],
    *[Access(model, (GENERAL_MANAGER, MARKETING, SERVICE), read=True)
      for model in (Contract, ContractLine)],
    # Leads: marketing and reps enter them, managers qualify and assign.
    Access(Lead, (SALES_REP, MARKETING), read=True, create=True, write=True),
    Access(Lead, SALES_MANAGER, read=True, create=True, write=True, delete=True),
    Access(Lead, GENERAL_MANAGER, read=True),
    Access(LeadRule, (SALES_MANAGER, MARKETING), read=True, create=True, write=True,
           delete=True),
    Access(LeadRule, (SALES_REP, GENERAL_MANAGER), read=True),
    # Quotes and their lines; the price history is written when quotes are priced.
    *[Access(model, (SALES_REP, SALES_MANAGER), read=True, create=True, write=True, delete=True)
      for model in (Quote, QuoteLine)],
    *[Access(model, (GENERAL_MANAGER, *BACK_OFFICE), read=True) for model in (Quote, QuoteLine)],
    Access(PriceHistory, (SALES_REP, SALES_MANAGER), read=True, create=True),
    Access(PriceHistory, (GENERAL_MANAGER, *BACK_OFFICE), read=True),
    Access(FunnelSetting, STAFF, read=True),
    Access(ForecastSnapshot, STAFF, read=True),
    Access(SalesTarget, (SALES_MANAGER, GENERAL_MANAGER), read=True, create=True, write=True,
           delete=True),
    Access(SalesTarget, (SALES_REP, FINANCE, MARKETING), read=True),
]


def _of_visible(parent: type, key: str) -> Scope:
    """Rows whose parent (`key` → `parent`) the actor may see: lines follow their document.

    The parent's own rules are put into the subquery here: the kernel filters the
    models a statement names, not those a rule's subquery brings in.
    """

    def build(model: type, actor: Actor) -> sa.ColumnElement[bool]:
        visible = sa.select(parent.id)  # type: ignore[attr-defined]
        policy = applying_policy()  # the policy whose rules are being built
        condition = policy.criteria(actor, parent) if policy is not None else None
        if condition is not None:
            visible = visible.where(condition)
        return getattr(model, key).in_(visible)  # type: ignore[no-any-return]

    return Scope(_l("of the records one may see"), build)


OF_VISIBLE_OPPORTUNITY = _of_visible(Opportunity, "opportunity_id")

def _in_pool(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Lead.state == "pool"


def _own_target(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return SalesTarget.user_id == actor.user_id


IN_POOL = Scope(_l("leads in the pool"), _in_pool)
OWN_TARGET = Scope(_l("own targets"), _own_target)
REP = OWN | (REGIONS & PRODUCT_LINES)
MANAGER = DEPARTMENT | REGIONS

RULES = [
    RecordRule(Opportunity, SALES_REP, REP),
    RecordRule(Opportunity, SALES_MANAGER, MANAGER),
    RecordRule(Opportunity, (GENERAL_MANAGER, *BACK_OFFICE), DIVISION),
    RecordRule(StageMove, STAFF, OF_VISIBLE_OPPORTUNITY),
    *[RecordRule(model, STAFF, OF_VISIBLE_OPPORTUNITY)
      for model in (DecisionMaker, DealCompetitor, DealPartner)],
    *[RecordRule(model, SALES_REP, REP) for model in (Contract, Quote)],
    *[RecordRule(model, SALES_MANAGER, MANAGER) for model in (Contract, Quote)],
    *[RecordRule(model, (GENERAL_MANAGER, *BACK_OFFICE), DIVISION) for model in (Contract, Quote)],
    RecordRule(ContractLine, STAFF, _of_visible(Contract, "contract_id")),
    RecordRule(QuoteLine, STAFF, _of_visible(Quote, "quote_id")),
    RecordRule(Lead, SALES_REP, REP | IN_POOL),
    RecordRule(Lead, SALES_MANAGER, MANAGER | IN_POOL),
    RecordRule(Lead, (GENERAL_MANAGER, MARKETING), DIVISION),
    RecordRule(ForecastSnapshot, SALES_REP, OWN),
    RecordRule(ForecastSnapshot, SALES_MANAGER, DEPARTMENT),
    RecordRule(ForecastSnapshot, (GENERAL_MANAGER, *BACK_OFFICE), DIVISION),
    RecordRule(SalesTarget, (SALES_REP, SALES_MANAGER), OWN_TARGET | DEPARTMENT),
    RecordRule(SalesTarget, (GENERAL_MANAGER, FINANCE, MARKETING), DIVISION),
]
