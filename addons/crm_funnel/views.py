"""Lists, forms, kanban, actions and menus of crm_funnel."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_funnel import closing, forecast, leads
from addons.crm_funnel.models import (
    ASSIGNED,
    CONVERTED,
    LOST,
    OPEN,
    POOL,
    REJECTED,
    WON,
    CompetitorCompany,
    Contract,
    ContractLine,
    DealCompetitor,
    DealPartner,
    DecisionMaker,
    ForecastSnapshot,
    FunnelSetting,
    Lead,
    LeadRule,
    LostReason,
    Opportunity,
    PriceHistory,
    Quote,
    QuoteLine,
    SalesMode,
    SalesTarget,
    Stage,
    StageMove,
    Visit,
)
from addons.crm_team import views as team_views
from core.context import Actor
from core.i18n import _l
from core.models import User
from core.navigation import Menu
from core.org import ADMIN, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP
from core.views import (
    Filter,
    FormView,
    KanbanView,
    Lines,
    ListView,
    Param,
    RecordAction,
    RelatedList,
    Section,
    extend_view,
)


def _my_deals(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Opportunity.owner_id == actor.user_id


def _open(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Opportunity.state == OPEN


# ------------------------------------------------------------ sales modes

sales_mode_views = [
    ListView(SalesMode, columns=[SalesMode.code, SalesMode.name, SalesMode.active],
             search=[SalesMode.name, SalesMode.code], order=[(SalesMode.code, False)]),
    FormView(SalesMode, fields=[SalesMode.code, SalesMode.name, SalesMode.active]),
    RelatedList(SalesMode, key=Stage.sales_mode_id,
                columns=[Stage.sequence, Stage.name, Stage.probability, Stage.active],
                label=_l("Stages"), order=[(Stage.sequence, False)], limit=50),
]
stage_views = [
    ListView(Stage, columns=[Stage.sales_mode_id, Stage.sequence, Stage.name, Stage.probability,
                             Stage.active],
             search=[Stage.name, Stage.full_name], group_by=[Stage.sales_mode_id, Stage.active],
             order=[(Stage.sequence, False)]),
    FormView(Stage, fields=[Stage.sales_mode_id, Stage.sequence, Stage.name, Stage.probability,
                            Stage.active]),
]
lookup_views = [
    ListView(LostReason, columns=[LostReason.code, LostReason.name],
             search=[LostReason.name], order=[(LostReason.code, False)]),
    FormView(LostReason, fields=[LostReason.code, LostReason.name]),
]

# ----------------------------------------------------------- opportunities

# A closed deal keeps what it was closed with; its owner may still be corrected.
CLOSED_READONLY = [Opportunity.name, Opportunity.customer_id, Opportunity.sales_mode_id,
                   Opportunity.stage_id, Opportunity.amount, Opportunity.expected_close]

opportunity_list = ListView(
    Opportunity,
    columns=[Opportunity.name, Opportunity.customer_id, Opportunity.stage_id,
             Opportunity.amount, Opportunity.probability, Opportunity.expected_close,
             Opportunity.owner_id, Opportunity.state],
    search=[Opportunity.name],
    filters=[Filter("mine", _l("My opportunities"), _my_deals),
             Filter("open", _l("Open"), _open)],
    group_by=[Opportunity.stage_id, Opportunity.sales_mode_id, Opportunity.state,
              Opportunity.owner_id, Opportunity.department_id, Opportunity.region_id,
              Opportunity.product_line_id, Opportunity.lost_reason_id,
              Opportunity.won_competitor_id],
    sums=[Opportunity.amount],
    order=[(Opportunity.expected_close, False)],
)
opportunity_form = FormView(
    Opportunity,
    fields=[
        Section(_l("Opportunity"), [Opportunity.name, Opportunity.customer_id,
                                    Opportunity.amount, Opportunity.expected_close,
                                    Opportunity.description]),
        Section(_l("Stage"), [Opportunity.sales_mode_id, Opportunity.stage_id,
                              Opportunity.probability, Opportunity.state]),
        Section(_l("Responsibility"), [Opportunity.owner_id, Opportunity.department_id,
                                       Opportunity.region_id, Opportunity.product_line_id]),
    ],
    lines=[
        Lines(Opportunity.contacts, [DecisionMaker.contact_id, DecisionMaker.role,
                                     DecisionMaker.attitude, DecisionMaker.note],
              label=_l("Decision tree")),
        Lines(Opportunity.competitors, [DealCompetitor.competitor_id, DealCompetitor.offer,
                                        DealCompetitor.note], label=_l("Competitors")),
        Lines(Opportunity.partners, [DealPartner.partner_id, DealPartner.role, DealPartner.note],
              label=_l("Partners")),
    ],
    readonly_in={OPEN: [Opportunity.probability, Opportunity.state],
                 WON: [*CLOSED_READONLY, Opportunity.probability, Opportunity.state],
                 LOST: [*CLOSED_READONLY, Opportunity.probability, Opportunity.state]},
)
opportunity_kanban = KanbanView(
    Opportunity, column_by=Opportunity.stage_id,
    card=[Opportunity.name, Opportunity.customer_id, Opportunity.amount,
          Opportunity.expected_close, Opportunity.owner_id, Opportunity.state],
)


def _is_open(record: Any) -> bool:
    return bool(record.state == OPEN)


def _is_lost(record: Any) -> bool:
    return bool(record.state == LOST)


opportunity_actions = [
    RecordAction(
        Opportunity, "close_won", _l("Close won"), closing.close_won,
        params=[Param("number", _l("Contract number (empty: next number)"), required=False),
                Param("signed_on", _l("Signed on"), kind="date", required=False),
                Param("quote", _l("Approved quote (empty: the latest)"), kind="ref",
                      target=Quote, required=False)],
        visible=_is_open, confirm=_l("Close this opportunity as won and create its contract?")),
    RecordAction(
        Opportunity, "close_lost", _l("Close lost"), closing.close_lost,
        params=[Param("reason", _l("Lost reason"), kind="ref", target=LostReason),
                Param("competitor", _l("Competitor that won"), kind="ref",
                      target=CompetitorCompany, required=False),
                Param("note", _l("What happened"), kind="longtext", required=False)],
        visible=_is_open),
    RecordAction(Opportunity, "reopen", _l("Reopen"), closing.reopen,
                 roles=(SALES_MANAGER, GENERAL_MANAGER), visible=_is_lost),
]
opportunity_history = RelatedList(
    Opportunity, key=StageMove.opportunity_id,
    columns=[StageMove.moved_at, StageMove.from_stage_id, StageMove.to_stage_id,
             StageMove.user_id, StageMove.dwell_seconds],
    label=_l("Stage history"), order=[(StageMove.id, True)], limit=50,
)
customer_opportunities = RelatedList(
    Customer, key=Opportunity.customer_id,
    columns=[Opportunity.name, Opportunity.stage_id, Opportunity.amount,
             Opportunity.expected_close, Opportunity.state],
    label=_l("Opportunities"), order=[(Opportunity.expected_close, True)],
)

# --------------------------------------------------------------- contracts

contract_views = [
    ListView(Contract, columns=[Contract.number, Contract.customer_id, Contract.amount,
                                Contract.signed_on, Contract.owner_id],
             search=[Contract.number], group_by=[Contract.owner_id, Contract.department_id,
                                                 Contract.region_id, Contract.product_line_id],
             sums=[Contract.amount], order=[(Contract.signed_on, True)]),
    FormView(Contract, fields=[Contract.number, Contract.customer_id, Contract.opportunity_id,
                               Contract.quote_id, Contract.signed_on, Contract.amount,
                               Contract.owner_id, Contract.department_id, Contract.region_id,
                               Contract.product_line_id],
             lines=[Lines(Contract.lines, [ContractLine.product_id, ContractLine.description,
                                           ContractLine.quantity, ContractLine.price,
                                           ContractLine.amount], label=_l("Lines"))]),
    RelatedList(Customer, key=Contract.customer_id,
                columns=[Contract.number, Contract.signed_on, Contract.amount],
                label=_l("Contracts"), order=[(Contract.signed_on, True)]),
]

# ------------------------------------------------------------------ quotes

QUOTE_FIELDS = [Quote.number, Quote.customer_id, Quote.opportunity_id, Quote.quote_date,
                Quote.note]
quote_views = [
    ListView(Quote, columns=[Quote.number, Quote.customer_id, Quote.opportunity_id,
                             Quote.quote_date, Quote.total, Quote.state, Quote.owner_id],
             search=[Quote.number], group_by=[Quote.state, Quote.owner_id, Quote.customer_id],
             sums=[Quote.total], order=[(Quote.quote_date, True)]),
    FormView(Quote,
             fields=[Section(_l("Quote"), QUOTE_FIELDS),
                     Section(_l("Price protection"), [Quote.total, Quote.approval_reason])],
             lines=[Lines(Quote.lines, [QuoteLine.product_id, QuoteLine.quantity,
                                        QuoteLine.price, QuoteLine.amount,
                                        QuoteLine.floor_price, QuoteLine.last_price],
                          label=_l("Products"))],
             readonly_in={"draft": [Quote.total, Quote.approval_reason],
                          "submitted": [*QUOTE_FIELDS, Quote.total, Quote.approval_reason],
                          "approved": [*QUOTE_FIELDS, Quote.total, Quote.approval_reason]}),
    RelatedList(Opportunity, key=Quote.opportunity_id,
                columns=[Quote.number, Quote.quote_date, Quote.total, Quote.state],
                label=_l("Quotes"), order=[(Quote.quote_date, True)]),
    ListView(PriceHistory, columns=[PriceHistory.customer_id, PriceHistory.product_id,
                                    PriceHistory.price, PriceHistory.quantity,
                                    PriceHistory.quoted_on, PriceHistory.user_id,
                                    PriceHistory.quote_id],
             group_by=[PriceHistory.customer_id, PriceHistory.product_id, PriceHistory.user_id],
             order=[(PriceHistory.quoted_on, True)]),
    RelatedList(Customer, key=PriceHistory.customer_id,
                columns=[PriceHistory.product_id, PriceHistory.price, PriceHistory.quoted_on,
                         PriceHistory.user_id, PriceHistory.quote_id],
                label=_l("Price history"), order=[(PriceHistory.id, True)], limit=50),
    FormView(FunnelSetting, fields=[FunnelSetting.max_price_drop]),
    ListView(FunnelSetting, columns=[FunnelSetting.max_price_drop]),
]

# ------------------------------------------------------------------- leads


def _overdue(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Lead.overdue.is_(True)


def _pool(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Lead.state == POOL


def _my_leads(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Lead.owner_id == actor.user_id


def _lead_in(*states: str) -> Any:
    return lambda lead: lead.state in states


LEAD_FIELDS = [Lead.name, Lead.company, Lead.customer_id, Lead.contact_name, Lead.phone,
               Lead.source_id, Lead.industry_id, Lead.amount, Lead.detail]
LEAD_PLACE = [Lead.owner_id, Lead.region_id, Lead.product_line_id]
LEAD_DONE = [*LEAD_FIELDS, *LEAD_PLACE]
lead_views = [
    ListView(Lead, columns=[Lead.name, Lead.company, Lead.source_id, Lead.owner_id, Lead.state,
                            Lead.deadline, Lead.overdue],
             search=[Lead.name, Lead.company, Lead.contact_name, Lead.phone],
             filters=[Filter("mine", _l("My leads"), _my_leads),
                      Filter("pool", _l("Lead pool"), _pool),
                      Filter("overdue", _l("Overdue"), _overdue)],
             group_by=[Lead.state, Lead.owner_id, Lead.source_id, Lead.industry_id,
                       Lead.region_id, Lead.product_line_id],
             order=[(Lead.id, True)]),
    FormView(Lead, fields=[Section(_l("Lead"), LEAD_FIELDS), Section(_l("Routing"), LEAD_PLACE)],
             readonly_in={CONVERTED: LEAD_DONE, REJECTED: LEAD_DONE}),
    RecordAction(Lead, "claim", _l("Claim"), leads.claim, roles=(SALES_REP,),
                 visible=_lead_in(POOL)),
    RecordAction(Lead, "assign", _l("Assign"), leads.assign_action,
                 params=[Param("user", _l("Rep"), kind="ref", target=User),
                         Param("days", _l("Days to the first activity"), kind="int",
                               required=False)],
                 roles=(SALES_MANAGER, MARKETING), visible=_lead_in(POOL, ASSIGNED)),
    RecordAction(Lead, "qualify", _l("Qualify"), leads.qualify,
                 params=[Param("sales_mode", _l("Sales mode"), kind="ref", target=SalesMode),
                         Param("expected_close", _l("Expected close"), kind="date"),
                         Param("amount", _l("Amount"), kind="decimal", required=False)],
                 roles=(SALES_MANAGER,), visible=_lead_in(ASSIGNED)),
    RecordAction(Lead, "reject", _l("Reject"), leads.reject,
                 params=[Param("reason", _l("Why"), kind="longtext")],
                 roles=(SALES_MANAGER,), visible=_lead_in(POOL, ASSIGNED)),
    RecordAction(Lead, "return_to_pool", _l("Return to the pool"), leads.return_to_pool,
                 visible=_lead_in(ASSIGNED)),
    ListView(LeadRule, columns=[LeadRule.sequence, LeadRule.name, LeadRule.industry_id,
                                LeadRule.region_id, LeadRule.product_line_id, LeadRule.user_id,
                                LeadRule.team_id, LeadRule.cap, LeadRule.active],
             order=[(LeadRule.sequence, False)]),
    FormView(LeadRule, fields=[
        Section(_l("When a lead matches"), [LeadRule.name, LeadRule.sequence,
                                            LeadRule.industry_id, LeadRule.region_id,
                                            LeadRule.product_line_id, LeadRule.active]),
        Section(_l("Give it to"), [LeadRule.user_id, LeadRule.team_id, LeadRule.cap,
                                   LeadRule.follow_up_days, LeadRule.return_to_pool]),
    ]),
]

# ------------------------------------------------ visits, targets, forecast

def visit_views() -> list[Any]:
    """Visits are crm_team's (#17): the deal a visit was for, on its form and the deal's tab.

    Built when the views are collected, after VisitDeal's column is mapped.
    """
    deal = Visit.opportunity_id  # type: ignore[attr-defined]
    return [
        extend_view(team_views.visit_form, after=Visit.customer_id, add=[deal]),
        RelatedList(Opportunity, key=deal,
                    columns=[Visit.visited_on, Visit.kind, Visit.state, Visit.summary,
                             Visit.met_decision_maker, Visit.owner_id],
                    label=_l("Visits"), order=[(Visit.visited_on, True)]),
    ]


TARGET_FIELDS = [SalesTarget.period_start, SalesTarget.period_end, SalesTarget.department_id,
                 SalesTarget.user_id, SalesTarget.amount, SalesTarget.parent_id]
# The form asks why a target changes (指标变更, #14); the list does not show it.
TARGET_FORM_FIELDS = [*TARGET_FIELDS, SalesTarget.change_reason]
target_views = [
    ListView(SalesTarget, columns=TARGET_FIELDS,
             group_by=[SalesTarget.department_id, SalesTarget.user_id, SalesTarget.parent_id],
             sums=[SalesTarget.amount], order=[(SalesTarget.period_start, True)]),
    FormView(SalesTarget, fields=TARGET_FORM_FIELDS),
    RelatedList(SalesTarget, key=SalesTarget.parent_id,
                columns=[SalesTarget.department_id, SalesTarget.user_id, SalesTarget.amount],
                label=_l("Split into"), limit=100),
    RecordAction(SalesTarget, "split", _l("Split down evenly"), forecast.split,
                 roles=(SALES_MANAGER, GENERAL_MANAGER),
                 visible=lambda target: target.user_id is None,
                 confirm=_l("Replace the split of this target with an even one?")),
    ListView(ForecastSnapshot, columns=[ForecastSnapshot.taken_on, ForecastSnapshot.month,
                                        ForecastSnapshot.owner_id, ForecastSnapshot.opportunities,
                                        ForecastSnapshot.pipeline, ForecastSnapshot.weighted],
             group_by=[ForecastSnapshot.taken_on, ForecastSnapshot.owner_id,
                       ForecastSnapshot.department_id],
             sums=[ForecastSnapshot.pipeline, ForecastSnapshot.weighted],
             order=[(ForecastSnapshot.taken_on, True)]),
]

VIEWS: list[Any] = [
    *sales_mode_views, *stage_views, *lookup_views,
    opportunity_list, opportunity_form, opportunity_kanban, *opportunity_actions,
    opportunity_history, customer_opportunities, *contract_views, *quote_views,
    *lead_views, *target_views,
]

MENUS = [
    Menu("leads", _l("Leads"), model=Lead, sequence=18),
    Menu("opportunities", _l("Opportunities"), model=Opportunity, sequence=20),
    Menu("lead_rules", _l("Lead assignment rules"), model=LeadRule, sequence=85,
         roles=(SALES_MANAGER, MARKETING)),
    Menu("quotes", _l("Quotes"), model=Quote, sequence=22),
    Menu("contracts", _l("Contracts"), model=Contract, sequence=24),
    Menu("targets", _l("Sales targets"), model=SalesTarget, sequence=27),
    Menu("forecast_snapshots", _l("Forecast snapshots"), model=ForecastSnapshot, sequence=28,
         roles=(SALES_MANAGER, GENERAL_MANAGER)),
    Menu("price_history", _l("Price history"), model=PriceHistory, sequence=26),
    Menu("funnel_settings", _l("Funnel settings"), model=FunnelSetting, sequence=84,
         roles=(ADMIN,)),
    Menu("sales_modes", _l("Sales modes"), model=SalesMode, sequence=80, roles=(ADMIN,)),
    Menu("stages", _l("Stages"), model=Stage, sequence=81, roles=(ADMIN,)),
    Menu("lost_reasons", _l("Lost reasons"), model=LostReason, sequence=82, roles=(ADMIN,)),
]
