"""crm_funnel: Leads, opportunities, sales modes, quotes and the weighted forecast."""

from __future__ import annotations

from core.addons import Manifest

manifest = Manifest(
    name="crm_funnel",
    version="0.1.0",
    summary="Leads, opportunities, sales modes, quotes and the weighted forecast",
    depends=["crm_customer"],
    category="Sales",
)
