"""crm_marketing's models, one module per concern; MODELS lists them in install order."""

from __future__ import annotations

from typing import Any

from addons.crm_marketing.models.campaigns import (
    Campaign,
    CampaignBudgetLine,
    CampaignCategory,
    CampaignCloseout,
    CampaignCostLine,
    CampaignCostType,
    CampaignParticipant,
)
from addons.crm_marketing.models.competitors import (
    CompetitorMove,
    CompetitorProduct,
    CompetitorProfile,
)
from addons.crm_marketing.models.inspection import InspectionCase
from addons.crm_marketing.models.knowledge import (
    KnowledgeCategory,
    KnowledgeDocument,
    KnowledgeTerm,
    KnowledgeVersion,
)
from addons.crm_marketing.models.materials import (
    MaterialItem,
    MaterialReceipt,
    MaterialReceiptLine,
    MaterialRequest,
    MaterialRequestLine,
    MaterialStock,
    MaterialSupplier,
    MaterialWarehouse,
)
from addons.crm_marketing.models.surveys import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
)

MODELS: list[type[Any]] = [
    CampaignCategory, CampaignCostType, Campaign, CampaignBudgetLine, CampaignParticipant,
    CampaignCloseout, CampaignCostLine,
    MaterialWarehouse, MaterialSupplier, MaterialItem, MaterialStock, MaterialReceipt,
    MaterialReceiptLine, MaterialRequest, MaterialRequestLine,
    KnowledgeCategory, KnowledgeDocument, KnowledgeVersion, KnowledgeTerm,
    Survey, SurveyQuestion, SurveyInvitation, SurveyAnswer, InspectionCase, CompetitorProfile,
    CompetitorProduct, CompetitorMove,
]

__all__ = ["MODELS", "CompetitorMove", "CompetitorProduct", "CompetitorProfile", "InspectionCase", "Survey", "SurveyAnswer", "SurveyInvitation", "SurveyQuestion",
           "KnowledgeCategory", "KnowledgeDocument", "KnowledgeTerm", "KnowledgeVersion",
           "MaterialItem", "MaterialReceipt", "MaterialReceiptLine", "MaterialRequest",
           "MaterialRequestLine", "MaterialStock", "MaterialSupplier", "MaterialWarehouse",
           "Campaign", "CampaignBudgetLine", "CampaignCategory", "CampaignCloseout",
           "CampaignCostLine", "CampaignCostType", "CampaignParticipant"]
