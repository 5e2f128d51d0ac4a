"""The campaign on lead and deal forms, campaign tabs, tenders, menus.

Built when the kernel collects the views (`views()`), after the extension columns
of leads, deals and competitors are mapped.
"""

from __future__ import annotations

from typing import Any

from addons.crm_customer.models import Customer
from addons.crm_funnel import views as funnel_views
from addons.crm_funnel.models import CompetitorCompany, Lead, Opportunity
from addons.crm_marketing.models import Campaign
from addons.crm_marketing_funnel.models import Tender
from core.i18n import _l
from core.navigation import Menu
from core.views import FormView, ListView, RelatedList, View, extend_view


def _lead_views() -> tuple[ListView, FormView]:
    found = [view for view in funnel_views.VIEWS if getattr(view, "model", None) is Lead]
    lists = [view for view in found if isinstance(view, ListView)]
    forms = [view for view in found if isinstance(view, FormView)]
    return lists[0], forms[0]


def _campaign_fields() -> list[View]:
    lead: Any = Lead
    deal: Any = Opportunity
    lead_list, lead_form = _lead_views()
    return [
        extend_view(lead_form, after=Lead.source_id, add=[lead.campaign_id]),
        extend_view(lead_list, after=Lead.source_id, add=[lead.campaign_id]),
        extend_view(funnel_views.opportunity_form, after=Opportunity.customer_id,
                    add=[deal.campaign_id]),
        RelatedList(Campaign, lead.campaign_id,
                    columns=[Lead.name, Lead.company, Lead.owner_id, Lead.state],
                    label=_l("Leads"), order=[(Lead.id, True)], limit=50),
        RelatedList(Campaign, deal.campaign_id,
                    columns=[Opportunity.name, Opportunity.customer_id, Opportunity.amount,
                             Opportunity.state],
                    label=_l("Opportunities"), order=[(Opportunity.id, True)], limit=50),
        # The customer 360 page: its deals with the campaign each came from.
        RelatedList(Customer, Opportunity.customer_id,
                    columns=[deal.campaign_id, Opportunity.name, Opportunity.amount,
                             Opportunity.state],
                    label=_l("Deals and their campaigns"), order=[(Opportunity.id, True)]),
    ]


TENDER_FIELDS = [Tender.title, Tender.opportunity_id, Tender.issuer, Tender.tender_number,
                 Tender.budget, Tender.deadline, Tender.bid_price, Tender.result,
                 Tender.winner_id, Tender.winning_price, Tender.region_id, Tender.owner_id,
                 Tender.note]


def _tender_views() -> list[View]:
    return [
        ListView(Tender, columns=[Tender.title, Tender.issuer, Tender.opportunity_id,
                                  Tender.deadline, Tender.bid_price, Tender.result,
                                  Tender.winner_id, Tender.winning_price],
                 search=[Tender.title, Tender.issuer, Tender.tender_number, Tender.note],
                 group_by=[Tender.result, Tender.winner_id, Tender.region_id, Tender.owner_id],
                 sums=[Tender.bid_price], order=[(Tender.deadline, True)]),
        FormView(Tender, fields=TENDER_FIELDS),
        RelatedList(Opportunity, Tender.opportunity_id,
                    columns=[Tender.title, Tender.deadline, Tender.bid_price, Tender.result],
                    label=_l("Tenders")),
        RelatedList(CompetitorCompany, Tender.winner_id,
                    columns=[Tender.title, Tender.deadline, Tender.winning_price],
                    label=_l("Tenders won")),
    ]


def views() -> list[View]:
    """Every view of the bridge."""
    return [*_campaign_fields(), *_tender_views()]


MENUS = [
    Menu("tenders", _l("Tenders"), model=Tender, sequence=46),
    Menu("campaign_roi", _l("Campaign ROI"), path="/r/campaign_roi", sequence=45),
]
