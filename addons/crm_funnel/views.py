"""Lists, forms, kanban, actions and menus of crm_funnel."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_funnel import closing
from addons.crm_funnel.models import (
    LOST,
    OPEN,
    Quote,
    CompetitorCompany,
    Contract,
    ContractLine,
    DealCompetitor,
    DealPartner,
    DecisionMaker,
    LostReason,
    Opportunity,
    SalesMode,
    Stage,
    StageMove,
)
from core.context import Actor
from core.i18n import _l
from core.navigation import Menu
from core.org import ADMIN, GENERAL_MANAGER, SALES_MANAGER
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
    ListView(CompetitorCompany, columns=[CompetitorCompany.name, CompetitorCompany.note],
             search=[CompetitorCompany.name], order=[(CompetitorCompany.name, False)]),
    FormView(CompetitorCompany, fields=[CompetitorCompany.name, CompetitorCompany.note]),
]

# ----------------------------------------------------------- opportunities

CLOSED_READONLY = [Opportunity.name, Opportunity.customer_id, Opportunity.sales_mode_id,
                   Opportunity.stage_id, Opportunity.amount, Opportunity.expected_close,
                   Opportunity.owner_id, Opportunity.department_id, Opportunity.region_id,
                   Opportunity.product_line_id, Opportunity.description]

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
        Section(_l("Stage"), [Opportunity.sales_mode_id, Opportunity.stage_id]),
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
    readonly_in={"won": CLOSED_READONLY, "lost": CLOSED_READONLY},
)
opportunity_kanban = KanbanView(
    Opportunity, column_by=Opportunity.stage_id,
    card=[Opportunity.customer_id, Opportunity.amount, Opportunity.expected_close,
          Opportunity.owner_id],
    title=Opportunity.name,
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

VIEWS: list[Any] = [
    *sales_mode_views, *stage_views, *lookup_views,
    opportunity_list, opportunity_form, opportunity_kanban, *opportunity_actions,
    opportunity_history, customer_opportunities, *contract_views,
]

MENUS = [
    Menu("opportunities", _l("Opportunities"), model=Opportunity, sequence=20),
    Menu("contracts", _l("Contracts"), model=Contract, sequence=24),
    Menu("sales_modes", _l("Sales modes"), model=SalesMode, sequence=80, roles=(ADMIN,)),
    Menu("stages", _l("Stages"), model=Stage, sequence=81, roles=(ADMIN,)),
    Menu("lost_reasons", _l("Lost reasons"), model=LostReason, sequence=82, roles=(ADMIN,)),
    Menu("competitors", _l("Competitors"), model=CompetitorCompany, sequence=83),
]
