"""crm_channel: Distributors, order requests, channel flow and stock."""

from __future__ import annotations

from core.addons import Manifest

manifest = Manifest(
    name="crm_channel",
    version="0.1.0",
    summary="Distributors, order requests, channel flow and stock",
    depends=["crm_customer"],
    category="Sales",
)
