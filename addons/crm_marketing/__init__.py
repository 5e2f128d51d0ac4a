"""crm_marketing: Campaigns, campaign ROI and competitors."""

from __future__ import annotations

from core.addons import Manifest

manifest = Manifest(
    name="crm_marketing",
    version="0.1.0",
    summary="Campaigns, campaign ROI and competitors",
    depends=["crm_customer"],
    category="Sales",
)
