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

MODELS: list[type[Any]] = [CampaignCategory, CampaignCostType, Campaign, CampaignBudgetLine,
                           CampaignParticipant, CampaignCloseout, CampaignCostLine]

__all__ = ["MODELS", "Campaign", "CampaignBudgetLine", "CampaignCategory", "CampaignCloseout",
           "CampaignCostLine", "CampaignCostType", "CampaignParticipant"]
