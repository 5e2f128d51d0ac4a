"""Who may do what in the funnel, and which deals each role sees.

Opportunities mirror the customer master (crm_customer/access.py): a rep sees
their own deals and those of their regions within their product lines, a
manager the department subtree they manage and their regions, the general
manager and the back office the whole division (HQ: every division).
"""

from __future__ import annotations

from addons.crm_funnel.models import (
    CompetitorCompany,
    LostReason,
    Opportunity,
    SalesMode,
    Stage,
    StageMove,
)
import sqlalchemy as sa

from core.access import DEPARTMENT, DIVISION, OWN, PRODUCT_LINES, REGIONS, Access, RecordRule
from core.access.rules import Scope
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
    Access(CompetitorCompany, (SALES_REP, SALES_MANAGER, MARKETING), read=True, create=True,
           write=True),
    Access(CompetitorCompany, (GENERAL_MANAGER, FINANCE, SERVICE), read=True),
    Access(Opportunity, SALES_REP, read=True, create=True, write=True),
    Access(Opportunity, SALES_MANAGER, read=True, create=True, write=True, delete=True),
    Access(Opportunity, GENERAL_MANAGER, read=True, write=True),
    Access(Opportunity, BACK_OFFICE, read=True),
    Access(StageMove, STAFF, read=True),
]


def _of_visible_opportunity(model: type, actor: object) -> sa.ColumnElement[bool]:
    # The subquery is filtered by the opportunity rules too: history follows the deal.
    return model.opportunity_id.in_(sa.select(Opportunity.id))  # type: ignore[attr-defined,no-any-return]


OF_VISIBLE_OPPORTUNITY = Scope(_l("of the opportunities one may see"), _of_visible_opportunity)

RULES = [
    RecordRule(Opportunity, SALES_REP, OWN | (REGIONS & PRODUCT_LINES)),
    RecordRule(Opportunity, SALES_MANAGER, DEPARTMENT | REGIONS),
    RecordRule(Opportunity, (GENERAL_MANAGER, *BACK_OFFICE), DIVISION),
    RecordRule(StageMove, STAFF, OF_VISIBLE_OPPORTUNITY),
]
