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

MODELS: list[type[Any]] = [
    CampaignCategory, CampaignCostType, Campaign, CampaignBudgetLine, CampaignParticipant,
    CampaignCloseout, CampaignCostLine,
    MaterialWarehouse, MaterialSupplier, MaterialItem, MaterialStock, MaterialReceipt,
    MaterialReceiptLine, MaterialRequest, MaterialRequestLine,
]

__all__ = ["MODELS", "MaterialItem", "MaterialReceipt", "MaterialReceiptLine", "MaterialRequest",
           "MaterialRequestLine", "MaterialStock", "MaterialSupplier", "MaterialWarehouse",
           "Campaign", "CampaignBudgetLine", "CampaignCategory", "CampaignCloseout",
           "CampaignCostLine", "CampaignCostType", "CampaignParticipant"]
