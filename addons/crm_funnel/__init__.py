"""crm_funnel: Leads, opportunities, sales modes, quotes and the weighted forecast."""

from __future__ import annotations

from addons.crm_funnel import access, models
from core.access import Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl

manifest = Manifest(
    name="crm_funnel",
    version="0.1.0",
    summary="Leads, opportunities, sales modes, quotes and the weighted forecast",
    depends=["crm_customer"],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return [models.SalesMode, models.Stage, models.LostReason, models.CompetitorCompany,
            models.Opportunity, models.StageMove]


@hookimpl
def kehu_register_access() -> list[Access]:
    return access.ACCESS


@hookimpl
def kehu_register_record_rules() -> list[RecordRule]:
    return access.RULES
