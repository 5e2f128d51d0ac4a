"""crm_marketing: campaigns with their ROI loop, competitors, promo material, knowledge,
surveys, tenders and market inspection (市场管理)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from addons.crm_marketing import (
    access,
    data,
    demo,
    pages,
    reports,
    rules,
    stock,
    views,
    workflows,
)
from addons.crm_marketing.models import (
    MODELS,
    Campaign,
    CampaignCloseout,
    MaterialReceipt,
    MaterialRequest,
)
from core.access import Access, RecordRule
from core.addons import Manifest
from core.context import Actor, system_context
from core.hookspecs import hookimpl
from core.models import Division
from core.navigation import Menu
from core.seeding import LookupData
from core.views import View
from core.workflow import Transition, Workflow, fire
from core.workflow.models import TransitionLog

manifest = Manifest(
    name="crm_marketing",
    version="0.3.0",
    summary="Campaigns, campaign ROI and competitors",
    depends=["crm_customer"],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def kehu_register_workflows() -> list[Workflow]:
    return workflows.WORKFLOWS


@hookimpl
def kehu_register_views() -> list[View]:
    return [*views.VIEWS, *views.competitor_views()]


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
def kehu_register_lookup_data() -> list[LookupData]:
    return data.LOOKUP_DATA


@hookimpl
def kehu_register_routes() -> list[BaseRoute]:
    return pages.ROUTES


@hookimpl
def kehu_register_reports() -> list[Any]:
    return reports.reports()


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.create_demo_marketing(session, divisions)


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    rules.prepare(session, records, deleted)


@hookimpl
def kehu_on_transition(session: Session, document: Any, transition: Transition, actor: Actor,
                       log: TransitionLog) -> None:
    """An approved close-out closes (and locks) its campaign; an approved material request
    takes its items out of stock; a posted receipt puts them in."""
    if isinstance(document, MaterialRequest) and transition.name == "issue":
        stock.issue(session, document)
    elif isinstance(document, MaterialReceipt) and transition.name == "post":
        stock.post(session, document)
    elif isinstance(document, CampaignCloseout) and transition.name == "approve":
        campaign = session.get(Campaign, document.campaign_id)
        if campaign is not None and campaign.state != "closed":
            # The approver of the close-out need not hold write rights on campaigns.
            with system_context():
                fire(session, campaign, "close")


@hookimpl(optionalhook=True)  # crm_expense's hook; crm_marketing does not depend on it
def kehu_extra_expense_links(division_id: int | None) -> list[tuple[str, type]]:
    """Expenses (crm_expense) may name a campaign: this is its model."""
    return [("campaign", Campaign)]
