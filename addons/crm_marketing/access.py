"""Who may do what in marketing, and which rows each role sees.

Marketing staff own campaigns (and later materials, knowledge and surveys):
they create and run them and see the division's. Managers and the general
manager read them and approve what they are asked to; finance reads the
costs. Reps read campaigns, to name them on their leads. Lines and
participants follow their document.
"""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_marketing.models import (
    Campaign,
    CampaignBudgetLine,
    CampaignCategory,
    CampaignCloseout,
    CampaignCostLine,
    CampaignCostType,
    CampaignParticipant,
    CompetitorMove,
    CompetitorProduct,
    InspectionCase,
    KnowledgeCategory,
    KnowledgeDocument,
    KnowledgeTerm,
    KnowledgeVersion,
    MaterialItem,
    MaterialReceipt,
    MaterialReceiptLine,
    MaterialRequest,
    MaterialRequestLine,
    MaterialStock,
    MaterialSupplier,
    MaterialWarehouse,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
)
from core.access import DEPARTMENT, DIVISION, OWN, Access, RecordRule, Scope, via
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
from core.workflow.models import ApprovalApprover, ApprovalRequest, ApprovalTask

MANAGERS = (SALES_MANAGER, GENERAL_MANAGER)


def _approver(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    """Documents whose approval steps name the actor as an approver."""
    asked = (sa.select(ApprovalRequest.res_id)
             .join(ApprovalTask, ApprovalTask.request_id == ApprovalRequest.id)
             .join(ApprovalApprover, ApprovalApprover.task_id == ApprovalTask.id)
             .where(ApprovalRequest.model == model.__tablename__,  # type: ignore[attr-defined]
                    ApprovalApprover.user_id == actor.user_id)
             .scalar_subquery())
    return model.id.in_(asked)  # type: ignore[attr-defined,no-any-return]


APPROVER = Scope(_l("documents they approve"), _approver)

ACCESS = [
    *[Access(model, ALL_STAFF, read=True) for model in (CampaignCategory, CampaignCostType)],
    *[Access(model, MARKETING, read=True, create=True, write=True)
      for model in (CampaignCategory, CampaignCostType)],
    *[Access(model, MARKETING, read=True, create=True, write=True, delete=True)
      for model in (Campaign, CampaignBudgetLine, CampaignCloseout, CampaignCostLine,
                    CampaignParticipant)],
    # Reps read campaigns (to name them on leads) and register participants.
    *[Access(model, (SALES_REP, *MANAGERS, FINANCE), read=True)
      for model in (Campaign, CampaignBudgetLine)],
    Access(CampaignParticipant, (SALES_REP, SALES_MANAGER), read=True, create=True, write=True),
    Access(CampaignParticipant, (GENERAL_MANAGER, FINANCE), read=True),
    *[Access(model, (*MANAGERS, FINANCE), read=True)
      for model in (CampaignCloseout, CampaignCostLine)],
]

def _readable_category(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    """Documents of categories open to everybody or to one of the actor's roles."""
    from addons.crm_marketing.models.knowledge import category_roles

    restricted = sa.select(category_roles.c.category_id)
    allowed = restricted.where(category_roles.c.role_code.in_(sorted(actor.roles)))
    return sa.or_(KnowledgeDocument.category_id.not_in(restricted),
                  KnowledgeDocument.category_id.in_(allowed))


READABLE_CATEGORY = Scope(_l("documents of categories open to their roles"),
                          _readable_category)

MATERIAL_MASTER = (MaterialWarehouse, MaterialSupplier, MaterialItem)
ACCESS += [
    *[Access(model, ALL_STAFF, read=True) for model in (*MATERIAL_MASTER, MaterialStock)],
    *[Access(model, MARKETING, read=True, create=True, write=True, delete=True)
      for model in (*MATERIAL_MASTER, MaterialReceipt, MaterialReceiptLine, MaterialRequest,
                    MaterialRequestLine)],
    # Stock rows are written by receipts and issues (as the system): read-only to people.
    *[Access(model, (*MANAGERS, FINANCE), read=True)
      for model in (MaterialReceipt, MaterialReceiptLine)],
    *[Access(model, (SALES_REP, SALES_MANAGER), read=True, create=True, write=True,
             delete=True) for model in (MaterialRequest, MaterialRequestLine)],
    *[Access(model, (GENERAL_MANAGER, FINANCE), read=True)
      for model in (MaterialRequest, MaterialRequestLine)],
]

ACCESS += [
    Access(KnowledgeCategory, ALL_STAFF, read=True),
    *[Access(model, ALL_STAFF, read=True)
      for model in (KnowledgeDocument, KnowledgeVersion, KnowledgeTerm)],
    *[Access(model, MARKETING, read=True, create=True, write=True, delete=True)
      for model in (KnowledgeCategory, KnowledgeDocument, KnowledgeVersion, KnowledgeTerm)],
]

SURVEYS = (Survey, SurveyQuestion, SurveyInvitation, SurveyAnswer)
ACCESS += [
    *[Access(model, MARKETING, read=True, create=True, write=True, delete=True)
      for model in SURVEYS],
    # Service staff enter answers taken on the phone; everybody reads the results.
    Access(SurveyInvitation, SERVICE, read=True, write=True),
    *[Access(model, ALL_STAFF, read=True) for model in SURVEYS],
]

ACCESS += [
    # Anybody in the field reports a fake; marketing follows the cases up.
    Access(InspectionCase, ALL_STAFF, read=True, create=True),
    Access(InspectionCase, MARKETING, read=True, create=True, write=True, delete=True),
]

ACCESS += [
    # Competitor management (#16): everybody reads the competitors' products; sales and
    # marketing keep them. Reps (and service, who hear it from customers) report moves.
    Access(CompetitorProduct, ALL_STAFF, read=True),
    Access(CompetitorProduct, (MARKETING, SALES_MANAGER), read=True, create=True, write=True,
           delete=True),
    Access(CompetitorProduct, SALES_REP, read=True, create=True, write=True),
    Access(CompetitorMove, (SALES_REP, MARKETING, SALES_MANAGER, SERVICE), read=True,
           create=True, write=True),
    Access(CompetitorMove, (GENERAL_MANAGER, FINANCE), read=True),
]

RULES = [
    # Competitor intelligence is shared within the division.
    RecordRule(CompetitorProduct, ALL_STAFF, DIVISION),
    RecordRule(CompetitorMove, ALL_STAFF, DIVISION),
    RecordRule(InspectionCase, (MARKETING, *MANAGERS), DIVISION),
    RecordRule(InspectionCase, ALL_STAFF, OWN),
    *[RecordRule(model, (MARKETING, SERVICE, GENERAL_MANAGER, SALES_MANAGER), DIVISION)
      for model in SURVEYS],
    RecordRule(Survey, ALL_STAFF, DIVISION),
    RecordRule(SurveyQuestion, ALL_STAFF, via(SurveyQuestion.survey_id)),
    # Reps see the invitations and answers of the customers they see.
    RecordRule(SurveyInvitation, ALL_STAFF, via(SurveyInvitation.customer_id)),
    RecordRule(SurveyAnswer, ALL_STAFF, via(SurveyAnswer.customer_id)),
    RecordRule(KnowledgeCategory, ALL_STAFF, DIVISION),
    RecordRule(KnowledgeDocument, ALL_STAFF, READABLE_CATEGORY),
    RecordRule(KnowledgeVersion, ALL_STAFF, via(KnowledgeVersion.document_id)),
    RecordRule(KnowledgeTerm, ALL_STAFF, via(KnowledgeTerm.document_id)),
    *[RecordRule(model, ALL_STAFF, DIVISION) for model in (*MATERIAL_MASTER, MaterialStock)],
    RecordRule(MaterialReceipt, (MARKETING, *MANAGERS, FINANCE), DIVISION),
    RecordRule(MaterialReceiptLine, ALL_STAFF, via(MaterialReceiptLine.receipt_id)),
    RecordRule(MaterialRequest, SALES_REP, OWN),
    RecordRule(MaterialRequest, SALES_MANAGER, DEPARTMENT | APPROVER | OWN),
    RecordRule(MaterialRequest, (MARKETING, GENERAL_MANAGER, FINANCE), DIVISION),
    RecordRule(MaterialRequestLine, ALL_STAFF, via(MaterialRequestLine.request_id)),
    RecordRule(Campaign, (MARKETING, *MANAGERS, FINANCE, SALES_REP), DIVISION),
    RecordRule(CampaignCloseout, (MARKETING, GENERAL_MANAGER, FINANCE), DIVISION),
    RecordRule(CampaignCloseout, SALES_MANAGER, DEPARTMENT | APPROVER | OWN),
    RecordRule(CampaignBudgetLine, ALL_STAFF, via(CampaignBudgetLine.campaign_id)),
    RecordRule(CampaignParticipant, ALL_STAFF, via(CampaignParticipant.campaign_id)),
    RecordRule(CampaignCostLine, ALL_STAFF, via(CampaignCostLine.closeout_id)),
]
