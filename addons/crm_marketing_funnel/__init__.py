"""crm_marketing_funnel: campaigns and competitors in the sales funnel — the bridge that
links crm_marketing with crm_funnel and crm_expense (the campaign ROI loop, tenders,
lost-to-competitor and collision rate). Competitor products and moves are
crm_marketing's (#16)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from addons.crm_marketing_funnel import access, demo, reports, rules, views
from addons.crm_marketing_funnel.models import MODELS
from core.access import Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.models import Division
from core.navigation import Menu
from core.reports import Report
from core.views import View

manifest = Manifest(
    name="crm_marketing_funnel",
    version="0.2.0",
    summary="Campaigns on leads and deals, the campaign ROI loop, tenders and competitors on "
            "deals",
    depends=["crm_marketing", "crm_funnel", "crm_expense"],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def kehu_register_views() -> list[View]:
    return views.views()


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return views.MENUS


@hookimpl
def kehu_register_access() -> list[Access]:
    return access.ACCESS


@hookimpl
def kehu_register_record_rules() -> list[RecordRule]:
    return access.RULES


@hookimpl
def kehu_register_reports() -> list[Report]:
    return reports.reports()


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.create_demo_bridge(session, divisions)


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    rules.prepare(session, records)
