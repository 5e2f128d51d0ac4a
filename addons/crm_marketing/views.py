"""Lists, forms, tabs, actions and menus of crm_marketing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_marketing.models import (
    Campaign,
    CampaignBudgetLine,
    CampaignCategory,
    CampaignCloseout,
    CampaignCostLine,
    CampaignCostType,
    CampaignParticipant,
)
from addons.crm_marketing.models.campaigns import APPROVED
from core.context import Actor
from core.errors import ValidationError
from core.i18n import _, _l
from core.navigation import Menu
from core.org import ADMIN, MARKETING, SALES_MANAGER, SALES_REP
from core.views import (
    Filter,
    FormView,
    KanbanView,
    Lines,
    ListView,
    RecordAction,
    RelatedList,
    Section,
    View,
)


def _mine(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return model.organizer_id == actor.user_id  # type: ignore[attr-defined,no-any-return]


def _running(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Campaign.state == APPROVED


def check_in(session: Session, participant: CampaignParticipant, actor: Actor,
             values: dict[str, Any]) -> str:
    """Mark a participant as arrived (签到), once."""
    if participant.checked_in:
        raise ValidationError(_("{name} has checked in already.").format(name=participant.name))
    campaign = session.get(Campaign, participant.campaign_id)
    if campaign is None or campaign.state != APPROVED:
        raise ValidationError(_("Participants check in while the campaign is running."))
    participant.checked_in = True
    participant.checked_in_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return _("{name} has checked in.").format(name=participant.name)


LOOKUPS: list[View] = [
    ListView(CampaignCategory, columns=[CampaignCategory.code, CampaignCategory.name,
                                        CampaignCategory.gm_threshold, CampaignCategory.active],
             search=[CampaignCategory.code, CampaignCategory.name],
             order=[(CampaignCategory.code, False)]),
    FormView(CampaignCategory, fields=[CampaignCategory.code, CampaignCategory.name,
                                       CampaignCategory.gm_threshold, CampaignCategory.active]),
    ListView(CampaignCostType, columns=[CampaignCostType.code, CampaignCostType.name,
                                        CampaignCostType.active],
             search=[CampaignCostType.code, CampaignCostType.name],
             order=[(CampaignCostType.code, False)]),
    FormView(CampaignCostType, fields=[CampaignCostType.code, CampaignCostType.name,
                                       CampaignCostType.active]),
]

CAMPAIGN_FIELDS = [Campaign.name, Campaign.category_id, Campaign.date_from, Campaign.date_to,
                   Campaign.place, Campaign.region_id]
campaign_form = FormView(
    Campaign,
    fields=[
        Section(_l("Campaign application"), [*CAMPAIGN_FIELDS, Campaign.goal, Campaign.target,
                                             Campaign.expected_leads, Campaign.budget_total]),
        Section(_l("Organizer"), [Campaign.organizer_id, Campaign.department_id]),
    ],
    lines=[Lines(Campaign.budget_lines, [CampaignBudgetLine.cost_type_id,
                                         CampaignBudgetLine.amount,
                                         CampaignBudgetLine.description], label=_l("Budget"))],
    readonly_in={"draft": [Campaign.budget_total]},
)

CAMPAIGNS: list[View] = [
    ListView(Campaign, columns=[Campaign.name, Campaign.category_id, Campaign.date_from,
                                Campaign.date_to, Campaign.place, Campaign.budget_total,
                                Campaign.organizer_id, Campaign.state],
             search=[Campaign.name, Campaign.place],
             filters=[Filter("mine", _l("My campaigns"), _mine),
                      Filter("running", _l("Running"), _running)],
             group_by=[Campaign.state, Campaign.category_id, Campaign.organizer_id,
                       Campaign.department_id, Campaign.region_id],
             sums=[Campaign.budget_total], order=[(Campaign.date_from, True)]),
    campaign_form,
    KanbanView(Campaign, column_by=Campaign.state,
               card=[Campaign.name, Campaign.date_from, Campaign.budget_total]),
    ListView(CampaignParticipant,
             columns=[CampaignParticipant.campaign_id, CampaignParticipant.name,
                      CampaignParticipant.company, CampaignParticipant.customer_id,
                      CampaignParticipant.phone, CampaignParticipant.checked_in],
             search=[CampaignParticipant.name, CampaignParticipant.company,
                     CampaignParticipant.phone],
             group_by=[CampaignParticipant.campaign_id, CampaignParticipant.checked_in],
             order=[(CampaignParticipant.id, True)]),
    FormView(CampaignParticipant, fields=[
        CampaignParticipant.campaign_id, CampaignParticipant.name, CampaignParticipant.company,
        CampaignParticipant.customer_id, CampaignParticipant.contact_id,
        CampaignParticipant.phone, CampaignParticipant.checked_in,
        CampaignParticipant.checked_in_at]),
    RecordAction(CampaignParticipant, "check_in", _l("Check in"), check_in, bulk=True,
                 visible=lambda participant: not participant.checked_in),
    ListView(CampaignCloseout, columns=[CampaignCloseout.title, CampaignCloseout.campaign_id,
                                        CampaignCloseout.attendance, CampaignCloseout.total,
                                        CampaignCloseout.organizer_id, CampaignCloseout.state],
             search=[CampaignCloseout.title], sums=[CampaignCloseout.total],
             group_by=[CampaignCloseout.state, CampaignCloseout.organizer_id],
             order=[(CampaignCloseout.id, True)]),
    FormView(
        CampaignCloseout,
        fields=[Section(_l("Campaign close-out"), [
            CampaignCloseout.title, CampaignCloseout.campaign_id, CampaignCloseout.attendance,
            CampaignCloseout.results, CampaignCloseout.total, CampaignCloseout.organizer_id])],
        lines=[Lines(CampaignCloseout.lines, [CampaignCostLine.cost_type_id,
                                              CampaignCostLine.date, CampaignCostLine.amount,
                                              CampaignCostLine.description],
                     label=_l("Actual costs"))],
        readonly_in={"draft": [CampaignCloseout.total, CampaignCloseout.organizer_id]},
    ),
    # Tabs: a campaign's participants and close-out; the campaigns a customer attended.
    RelatedList(Campaign, CampaignParticipant.campaign_id,
                columns=[CampaignParticipant.name, CampaignParticipant.company,
                         CampaignParticipant.phone, CampaignParticipant.checked_in],
                label=_l("Participants"), order=[(CampaignParticipant.id, False)], limit=50),
    RelatedList(Campaign, CampaignCloseout.campaign_id,
                columns=[CampaignCloseout.title, CampaignCloseout.total,
                         CampaignCloseout.state],
                label=_l("Close-out")),
    RelatedList(Customer, CampaignParticipant.customer_id,
                columns=[CampaignParticipant.campaign_id, CampaignParticipant.name,
                         CampaignParticipant.checked_in, CampaignParticipant.checked_in_at],
                label=_l("Campaigns"), order=[(CampaignParticipant.id, True)]),
]

VIEWS: list[View] = [*LOOKUPS, *CAMPAIGNS]

MENUS = [
    Menu("campaigns", _l("Campaigns"), model=Campaign, sequence=40),
    Menu("campaign_participants", _l("Campaign participants"), model=CampaignParticipant,
         sequence=41, roles=(MARKETING, SALES_REP, SALES_MANAGER)),
    Menu("campaign_closeouts", _l("Campaign close-outs"), model=CampaignCloseout, sequence=42),
    Menu("campaign_categories", _l("Campaign categories"), model=CampaignCategory,
         sequence=86, roles=(MARKETING, ADMIN)),
    Menu("campaign_cost_types", _l("Campaign cost types"), model=CampaignCostType,
         sequence=87, roles=(MARKETING, ADMIN)),
]


