"""Lists, forms, tabs, actions and menus of crm_marketing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer import views as customer_views
from addons.crm_customer.models import Competitor, Customer
from addons.crm_marketing import surveys
from addons.crm_marketing.models import (
    Campaign,
    CampaignBudgetLine,
    CampaignCategory,
    CampaignCloseout,
    CampaignCostLine,
    CampaignCostType,
    CampaignParticipant,
    CompetitorMove,
    CompetitorProduct,
    InspectionCase,
    KnowledgeCategory,
    KnowledgeDocument,
    KnowledgeVersion,
    MaterialItem,
    MaterialReceipt,
    MaterialReceiptLine,
    MaterialRequest,
    MaterialRequestLine,
    MaterialStock,
    MaterialSupplier,
    MaterialWarehouse,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
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
    Param,
    RecordAction,
    RecordLink,
    RelatedList,
    Section,
    View,
    extend_view,
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

def _frozen(states: tuple[str, ...], fields: list[Any]) -> dict[str, Sequence[Any]]:
    """Read-only boxes in the locked states (the kernel refuses changes there anyway)."""
    return {state: fields for state in states}


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
    readonly_in={"draft": [Campaign.budget_total],
                 **_frozen(("submitted", "approved", "closed"), [
                     *CAMPAIGN_FIELDS, Campaign.goal, Campaign.target, Campaign.expected_leads,
                     Campaign.budget_total, Campaign.organizer_id, Campaign.department_id])},
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
        readonly_in={"draft": [CampaignCloseout.total, CampaignCloseout.organizer_id],
                     **_frozen(("submitted", "approved"), [
                         CampaignCloseout.title, CampaignCloseout.campaign_id,
                         CampaignCloseout.attendance, CampaignCloseout.results,
                         CampaignCloseout.total, CampaignCloseout.organizer_id])},
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

def _my_requests(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return MaterialRequest.requester_id == actor.user_id


MATERIALS: list[View] = [
    ListView(MaterialWarehouse, columns=[MaterialWarehouse.code, MaterialWarehouse.name,
                                         MaterialWarehouse.region_id],
             search=[MaterialWarehouse.code, MaterialWarehouse.name]),
    FormView(MaterialWarehouse, fields=[MaterialWarehouse.code, MaterialWarehouse.name,
                                        MaterialWarehouse.region_id]),
    ListView(MaterialSupplier, columns=[MaterialSupplier.name, MaterialSupplier.contact_name,
                                        MaterialSupplier.phone],
             search=[MaterialSupplier.name, MaterialSupplier.contact_name]),
    FormView(MaterialSupplier, fields=[MaterialSupplier.name, MaterialSupplier.contact_name,
                                       MaterialSupplier.phone, MaterialSupplier.note]),
    ListView(MaterialItem, columns=[MaterialItem.code, MaterialItem.name, MaterialItem.unit,
                                    MaterialItem.unit_cost, MaterialItem.supplier_id,
                                    MaterialItem.active],
             search=[MaterialItem.code, MaterialItem.name], order=[(MaterialItem.code, False)]),
    FormView(MaterialItem, fields=[MaterialItem.code, MaterialItem.name, MaterialItem.unit,
                                   MaterialItem.unit_cost, MaterialItem.supplier_id,
                                   MaterialItem.active]),
    ListView(MaterialStock, columns=[MaterialStock.item_id, MaterialStock.warehouse_id,
                                     MaterialStock.quantity],
             group_by=[MaterialStock.item_id, MaterialStock.warehouse_id],
             sums=[MaterialStock.quantity]),
    FormView(MaterialStock, fields=[MaterialStock.item_id, MaterialStock.warehouse_id,
                                    MaterialStock.quantity]),
    ListView(MaterialReceipt, columns=[MaterialReceipt.reference, MaterialReceipt.kind,
                                       MaterialReceipt.warehouse_id, MaterialReceipt.supplier_id,
                                       MaterialReceipt.received_on, MaterialReceipt.state],
             search=[MaterialReceipt.reference],
             group_by=[MaterialReceipt.kind, MaterialReceipt.state,
                       MaterialReceipt.warehouse_id],
             order=[(MaterialReceipt.received_on, True)]),
    FormView(MaterialReceipt,
             fields=[MaterialReceipt.reference, MaterialReceipt.kind,
                     MaterialReceipt.warehouse_id, MaterialReceipt.supplier_id,
                     MaterialReceipt.request_id, MaterialReceipt.received_on],
             lines=[Lines(MaterialReceipt.lines, [MaterialReceiptLine.item_id,
                                                  MaterialReceiptLine.quantity,
                                                  MaterialReceiptLine.unit_cost],
                          label=_l("Items"))]),
    ListView(MaterialRequest, columns=[MaterialRequest.purpose, MaterialRequest.campaign_id,
                                       MaterialRequest.warehouse_id,
                                       MaterialRequest.requester_id, MaterialRequest.issued_on,
                                       MaterialRequest.state],
             search=[MaterialRequest.purpose],
             filters=[Filter("mine", _l("My requests"), _my_requests)],
             group_by=[MaterialRequest.state, MaterialRequest.campaign_id,
                       MaterialRequest.requester_id, MaterialRequest.warehouse_id],
             order=[(MaterialRequest.id, True)]),
    FormView(MaterialRequest,
             fields=[MaterialRequest.purpose, MaterialRequest.warehouse_id,
                     MaterialRequest.campaign_id, MaterialRequest.region_id,
                     MaterialRequest.requester_id, MaterialRequest.issued_on],
             lines=[Lines(MaterialRequest.lines, [MaterialRequestLine.item_id,
                                                  MaterialRequestLine.quantity],
                          label=_l("Items"))],
             readonly_in={"draft": [MaterialRequest.issued_on],
                          **_frozen(("submitted", "issued"), [
                              MaterialRequest.purpose, MaterialRequest.warehouse_id,
                              MaterialRequest.campaign_id, MaterialRequest.region_id,
                              MaterialRequest.requester_id, MaterialRequest.issued_on])}),
    RelatedList(Campaign, MaterialRequest.campaign_id,
                columns=[MaterialRequest.purpose, MaterialRequest.requester_id,
                         MaterialRequest.state], label=_l("Material requests")),
]

KNOWLEDGE: list[View] = [
    ListView(KnowledgeCategory, columns=[KnowledgeCategory.name],
             search=[KnowledgeCategory.name]),
    FormView(KnowledgeCategory, fields=[KnowledgeCategory.name, KnowledgeCategory.roles]),
    ListView(KnowledgeDocument, columns=[KnowledgeDocument.title, KnowledgeDocument.category_id,
                                         KnowledgeDocument.tags, KnowledgeDocument.version_no,
                                         KnowledgeDocument.read_count,
                                         KnowledgeDocument.author_id],
             search=[KnowledgeDocument.title, KnowledgeDocument.tags],
             group_by=[KnowledgeDocument.category_id, KnowledgeDocument.author_id],
             order=[(KnowledgeDocument.read_count, True)]),
    FormView(KnowledgeDocument, fields=[
        KnowledgeDocument.title, KnowledgeDocument.category_id, KnowledgeDocument.summary,
        KnowledgeDocument.tags, KnowledgeDocument.body, KnowledgeDocument.author_id]),
    ListView(KnowledgeVersion, columns=[KnowledgeVersion.document_id, KnowledgeVersion.version_no,
                                        KnowledgeVersion.title, KnowledgeVersion.replaced_at],
             order=[(KnowledgeVersion.id, True)]),
    FormView(KnowledgeVersion, fields=[KnowledgeVersion.document_id, KnowledgeVersion.version_no,
                                       KnowledgeVersion.title, KnowledgeVersion.body,
                                       KnowledgeVersion.replaced_at]),
    RelatedList(KnowledgeDocument, KnowledgeVersion.document_id,
                columns=[KnowledgeVersion.version_no, KnowledgeVersion.title,
                         KnowledgeVersion.replaced_at],
                label=_l("Earlier versions"), order=[(KnowledgeVersion.version_no, True)]),
]

SURVEYS: list[View] = [
    ListView(Survey, columns=[Survey.title, Survey.owner_id, Survey.state],
             search=[Survey.title], group_by=[Survey.state], order=[(Survey.id, True)]),
    FormView(Survey, fields=[Survey.title, Survey.intro, Survey.owner_id, Survey.state],
             readonly_in=_frozen(("open", "closed"), [Survey.title, Survey.intro,
                                                      Survey.owner_id]),
             lines=[Lines(Survey.questions, [SurveyQuestion.sequence, SurveyQuestion.text,
                                             SurveyQuestion.kind, SurveyQuestion.options,
                                             SurveyQuestion.required],
                          label=_l("Questions"))]),
    ListView(SurveyInvitation, columns=[SurveyInvitation.survey_id, SurveyInvitation.customer_id,
                                        SurveyInvitation.contact_id,
                                        SurveyInvitation.answered_at, SurveyInvitation.channel],
             group_by=[SurveyInvitation.survey_id, SurveyInvitation.channel],
             order=[(SurveyInvitation.id, True)]),
    FormView(SurveyInvitation,
             fields=[SurveyInvitation.survey_id, SurveyInvitation.customer_id,
                     SurveyInvitation.contact_id, SurveyInvitation.answered_at,
                     SurveyInvitation.channel],
             links=[RecordLink(_l("Public link"), "/a/crm_marketing/surveys/{id}/link"),
                    RecordLink(_l("Enter answers"), "/a/crm_marketing/surveys/{id}/answer")]),
    ListView(SurveyAnswer, columns=[SurveyAnswer.survey_id, SurveyAnswer.question_id,
                                    SurveyAnswer.customer_id, SurveyAnswer.option,
                                    SurveyAnswer.score, SurveyAnswer.text],
             group_by=[SurveyAnswer.survey_id, SurveyAnswer.question_id, SurveyAnswer.option],
             order=[(SurveyAnswer.id, True)]),
    FormView(SurveyAnswer, fields=[SurveyAnswer.survey_id, SurveyAnswer.question_id,
                                   SurveyAnswer.customer_id, SurveyAnswer.option,
                                   SurveyAnswer.score, SurveyAnswer.text]),
    RelatedList(Survey, SurveyInvitation.survey_id,
                columns=[SurveyInvitation.customer_id, SurveyInvitation.contact_id,
                         SurveyInvitation.answered_at, SurveyInvitation.channel],
                label=_l("Invitations"), limit=50),
    RelatedList(Customer, SurveyAnswer.customer_id,
                columns=[SurveyAnswer.survey_id, SurveyAnswer.question_id, SurveyAnswer.option,
                         SurveyAnswer.score, SurveyAnswer.text],
                label=_l("Survey answers"), order=[(SurveyAnswer.id, True)], limit=30),
    RecordAction(Customer, "invite_to_survey", _l("Send a survey"), surveys.invite,
                 params=[Param("survey", _l("Survey"), kind="ref", target=Survey)],
                 roles=(MARKETING,), right="read", bulk=True),
]

INSPECTION_FIELDS = [InspectionCase.title, InspectionCase.kind, InspectionCase.found_on,
                     InspectionCase.region_id, InspectionCase.place, InspectionCase.product_id,
                     InspectionCase.suspect, InspectionCase.evidence, InspectionCase.follow_up,
                     InspectionCase.outcome, InspectionCase.reporter_id,
                     InspectionCase.handler_id]
INSPECTION: list[View] = [
    ListView(InspectionCase, columns=[InspectionCase.found_on, InspectionCase.title,
                                      InspectionCase.kind, InspectionCase.region_id,
                                      InspectionCase.product_id, InspectionCase.reporter_id,
                                      InspectionCase.state],
             search=[InspectionCase.title, InspectionCase.suspect, InspectionCase.place],
             group_by=[InspectionCase.kind, InspectionCase.state, InspectionCase.region_id,
                       InspectionCase.product_id],
             order=[(InspectionCase.found_on, True)]),
    FormView(InspectionCase, fields=INSPECTION_FIELDS,
             readonly_in=_frozen(("closed",), INSPECTION_FIELDS)),
    KanbanView(InspectionCase, column_by=InspectionCase.state,
               card=[InspectionCase.title, InspectionCase.found_on, InspectionCase.region_id]),
]

MOVE_FIELDS = [CompetitorMove.competitor_id, CompetitorMove.kind, CompetitorMove.seen_on,
               CompetitorMove.region_id, CompetitorMove.product_id, CompetitorMove.old_price,
               CompetitorMove.new_price, CompetitorMove.summary, CompetitorMove.evidence,
               CompetitorMove.reporter_id]

# Competitor products and moves (#16): in every division running crm_marketing.
COMPETITOR_INTELLIGENCE: list[View] = [
    ListView(CompetitorProduct, columns=[CompetitorProduct.name, CompetitorProduct.competitor_id,
                                         CompetitorProduct.price,
                                         CompetitorProduct.own_product_id],
             search=[CompetitorProduct.name, CompetitorProduct.note],
             group_by=[CompetitorProduct.competitor_id, CompetitorProduct.own_product_id],
             order=[(CompetitorProduct.name, False)]),
    FormView(CompetitorProduct, fields=[CompetitorProduct.competitor_id, CompetitorProduct.name,
                                        CompetitorProduct.price,
                                        CompetitorProduct.own_product_id,
                                        CompetitorProduct.note]),
    ListView(CompetitorMove, columns=[CompetitorMove.seen_on, CompetitorMove.competitor_id,
                                      CompetitorMove.kind, CompetitorMove.product_id,
                                      CompetitorMove.new_price, CompetitorMove.region_id,
                                      CompetitorMove.summary, CompetitorMove.reporter_id],
             search=[CompetitorMove.summary, CompetitorMove.evidence],
             group_by=[CompetitorMove.competitor_id, CompetitorMove.kind,
                       CompetitorMove.region_id, CompetitorMove.reporter_id],
             order=[(CompetitorMove.seen_on, True)]),
    FormView(CompetitorMove, fields=MOVE_FIELDS),
    RelatedList(Competitor, CompetitorProduct.competitor_id,
                columns=[CompetitorProduct.name, CompetitorProduct.price,
                         CompetitorProduct.own_product_id], label=_l("Products"),
                order=[(CompetitorProduct.name, False)]),
    RelatedList(Competitor, CompetitorMove.competitor_id,
                columns=[CompetitorMove.seen_on, CompetitorMove.kind, CompetitorMove.summary,
                         CompetitorMove.new_price],
                label=_l("Moves"), order=[(CompetitorMove.seen_on, True)], limit=50),
    RelatedList(CompetitorProduct, CompetitorMove.product_id,
                columns=[CompetitorMove.seen_on, CompetitorMove.kind, CompetitorMove.old_price,
                         CompetitorMove.new_price, CompetitorMove.region_id],
                label=_l("Price history"), order=[(CompetitorMove.seen_on, True)], limit=50),
]


def competitor_views() -> list[View]:
    """The company record on the competitor master's form and list (#16); built when the
    kernel collects the views, after the profile columns are mapped."""
    company: Any = Competitor
    profile = [company.size, company.regions, company.key_customers, company.strengths,
               company.weaknesses, company.website]
    return [
        extend_view(customer_views.competitor_form, after=Competitor.name, add=profile),
        extend_view(customer_views.competitor_list, after=Competitor.name,
                    add=[company.size, company.regions]),
        *COMPETITOR_INTELLIGENCE,
    ]


VIEWS: list[View] = [*LOOKUPS, *CAMPAIGNS, *MATERIALS, *KNOWLEDGE, *SURVEYS, *INSPECTION]

MENUS = [
    Menu("campaigns", _l("Campaigns"), model=Campaign, sequence=40),
    Menu("campaign_participants", _l("Campaign participants"), model=CampaignParticipant,
         sequence=41, roles=(MARKETING, SALES_REP, SALES_MANAGER)),
    Menu("campaign_closeouts", _l("Campaign close-outs"), model=CampaignCloseout, sequence=42),
    Menu("material_requests", _l("Material requests"), model=MaterialRequest, sequence=46),
    Menu("material_stock", _l("Material stock"), model=MaterialStock, sequence=47),
    Menu("material_receipts", _l("Material receipts"), model=MaterialReceipt, sequence=48,
         roles=(MARKETING, ADMIN)),
    Menu("material_items", _l("Promotional items"), model=MaterialItem, sequence=88,
         roles=(MARKETING, ADMIN)),
    Menu("material_warehouses", _l("Material warehouses"), model=MaterialWarehouse,
         sequence=89, roles=(MARKETING, ADMIN)),
    Menu("material_suppliers", _l("Material suppliers"), model=MaterialSupplier, sequence=90,
         roles=(MARKETING, ADMIN)),
    Menu("knowledge", _l("Knowledge base"), path="/a/crm_marketing/knowledge", sequence=49),
    Menu("knowledge_categories", _l("Knowledge categories"), model=KnowledgeCategory,
         sequence=91, roles=(MARKETING, ADMIN)),
    Menu("surveys", _l("Surveys"), model=Survey, sequence=50),
    Menu("survey_invitations", _l("Survey invitations"), model=SurveyInvitation, sequence=51,
         roles=(MARKETING, ADMIN)),
    Menu("market_inspection", _l("Market inspection"), model=InspectionCase, sequence=52),
    Menu("competitor_moves", _l("Competitor moves"), model=CompetitorMove, sequence=43),
    Menu("competitor_products", _l("Competitor products"), model=CompetitorProduct,
         sequence=44),
    Menu("campaign_categories", _l("Campaign categories"), model=CampaignCategory,
         sequence=86, roles=(MARKETING, ADMIN)),
    Menu("campaign_cost_types", _l("Campaign cost types"), model=CampaignCostType,
         sequence=87, roles=(MARKETING, ADMIN)),
]


