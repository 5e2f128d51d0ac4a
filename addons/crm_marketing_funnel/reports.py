"""The campaign ROI loop and the competitor reports, on the kernel's report engine.

ROI (活动投入产出): each figure is a correlated subquery summed over the campaigns
of the report, so the whole table is one SQL statement; the record rules of
every table it reads are inside it (a manager counts the leads and claims they
may see). Actual cost = the approved close-out's cost lines + the approved or
paid expense claim lines (crm_expense) that name the campaign.

Competitors on deals: lost-to-competitor (lost deals by the competitor that won)
and collision rate (撞单率: share of our deals where a competitor appears). The
price comparison over time needs no deals: it is crm_marketing's (#16).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_expense.models import ExpenseClaim, ExpenseClaimLine
from addons.crm_funnel.models import DealCompetitor, Lead, Opportunity
from addons.crm_marketing.models import Campaign, CampaignCloseout
from core.i18n import _l
from core.org import GENERAL_MANAGER, MARKETING, SALES_MANAGER
from core.reports import Dimension, Measure, Report, month, quarter, year

# Claims whose lines are spent money (as crm_expense's own reports count them).
SPENT_CLAIMS = ("approved", "paid")
ROI_ROLES = (MARKETING, SALES_MANAGER, GENERAL_MANAGER)


def _scalar(select: Any) -> Any:
    return sa.func.coalesce(select.correlate(Campaign).scalar_subquery(), 0)


def campaign_figures() -> dict[str, Any]:
    """Per campaign row: closeout, expenses, leads, qualified, opportunities, won (SQL)."""
    lead: Any = Lead
    deal: Any = Opportunity
    return {
        "closeout": _scalar(sa.select(sa.func.sum(CampaignCloseout.total)).where(
            CampaignCloseout.campaign_id == Campaign.id, CampaignCloseout.state == "approved")),
        "expenses": _scalar(sa.select(sa.func.sum(ExpenseClaimLine.amount))
                            .join(ExpenseClaim, ExpenseClaim.id == ExpenseClaimLine.claim_id)
                            .where(ExpenseClaimLine.campaign_id == Campaign.id,
                                   ExpenseClaim.state.in_(SPENT_CLAIMS))),
        "leads": _scalar(sa.select(sa.func.count(lead.id)).where(lead.campaign_id == Campaign.id)),
        "qualified": _scalar(sa.select(sa.func.count(lead.id)).where(
            lead.campaign_id == Campaign.id, lead.opportunity_id.is_not(None))),
        "opportunities": _scalar(sa.select(sa.func.count(deal.id)).where(
            deal.campaign_id == Campaign.id)),
        "won": _scalar(sa.select(sa.func.sum(deal.amount)).where(
            deal.campaign_id == Campaign.id, deal.state == "won")),
    }


def roi_report() -> Report:
    """Budget, actual, leads → opportunities → won value, cost per lead and ROI."""
    f = campaign_figures()
    actual = sa.func.sum(f["closeout"] + f["expenses"])
    won = sa.func.sum(f["won"])
    leads = sa.func.sum(f["leads"])
    hundred = sa.literal(100.0, sa.Float)  # typed: a bare 100.0 would take the Money type
    return Report(
        key="campaign_roi", label=_l("Campaign ROI"), model=Campaign,
        dimensions=[
            # By the campaign itself: two campaigns of one name are two rows.
            Dimension("campaign", _l("Campaign"), Campaign.id),
            Dimension("category", _l("Category"), Campaign.category_id),
            Dimension("month", _l("Month"), month(Campaign.date_from)),
            Dimension("quarter", _l("Quarter"), quarter(Campaign.date_from)),
            Dimension("year", _l("Year"), year(Campaign.date_from)),
            Dimension("region", _l("Region"), Campaign.region_id),
            Dimension("organizer", _l("Organizer"), Campaign.organizer_id),
            Dimension("department", _l("Department"), Campaign.department_id),
            Dimension("division", _l("Division"), Campaign.division_id),
        ],
        measures=[
            Measure("budget", _l("Budget"), sa.func.sum(Campaign.budget_total), kind="money"),
            Measure("actual", _l("Actual cost"), actual, kind="money"),
            Measure("leads", _l("Leads"), leads, kind="int"),
            Measure("qualified", _l("Qualified leads"), sa.func.sum(f["qualified"]), kind="int"),
            Measure("opportunities", _l("Opportunities"), sa.func.sum(f["opportunities"]),
                    kind="int"),
            Measure("won", _l("Won value"), won, kind="money"),
            Measure("cost_per_lead", _l("Cost per lead"),
                    actual / sa.func.nullif(leads, 0), kind="money"),
            Measure("roi", _l("ROI"), (won - actual) * hundred / sa.func.nullif(actual, 0),
                    kind="percent"),
        ],
        default_rows="campaign", date_field=Campaign.date_from, chart="bar",
        chart_measure="won", roles=ROI_ROLES,
        where=lambda model, actor: Campaign.state.in_(("approved", "closed")),
        description=_l("What each approved campaign cost (close-out and expense claims) and "
                       "what it brought: leads, opportunities and won contract value."),
    )


def lost_to_competitor() -> Report:
    """Lost deals by the competitor that won them, by region and product line."""
    return Report(
        key="lost_to_competitor", label=_l("Lost to competitors"), model=Opportunity,
        dimensions=[
            Dimension("competitor", _l("Competitor that won"), Opportunity.won_competitor_id),
            Dimension("region", _l("Region"), Opportunity.region_id),
            Dimension("product_line", _l("Product line"), Opportunity.product_line_id),
            Dimension("owner", _l("Owner"), Opportunity.owner_id),
            Dimension("quarter", _l("Quarter"), quarter(Opportunity.closed_on)),
            Dimension("month", _l("Month"), month(Opportunity.closed_on)),
        ],
        measures=[
            Measure("deals", _l("Deals lost"), sa.func.count(), kind="count"),
            Measure("amount", _l("Amount lost"), sa.func.sum(Opportunity.amount), kind="money"),
        ],
        default_rows="competitor", default_columns="region", chart="bar",
        date_field=Opportunity.closed_on,
        where=lambda model, actor: sa.and_(Opportunity.state == "lost",
                                           Opportunity.won_competitor_id.is_not(None)),
        description=_l("Deals lost to a competitor, by the competitor that won them."),
    )


def collision_rate() -> Report:
    """Share of our deals where at least one competitor appears (撞单率)."""
    met = sa.case((sa.exists(sa.select(DealCompetitor.id).where(
        DealCompetitor.opportunity_id == Opportunity.id).correlate(Opportunity)), 1), else_=0)
    hundred = sa.literal(100.0, sa.Float)
    return Report(
        key="competitor_collision", label=_l("Collision rate"), model=Opportunity,
        dimensions=[
            Dimension("region", _l("Region"), Opportunity.region_id),
            Dimension("owner", _l("Owner"), Opportunity.owner_id),
            Dimension("product_line", _l("Product line"), Opportunity.product_line_id),
            Dimension("quarter", _l("Quarter"), quarter(Opportunity.expected_close)),
            Dimension("month", _l("Month"), month(Opportunity.expected_close)),
        ],
        measures=[
            Measure("rate", _l("Collision rate"),
                    sa.func.sum(met) * hundred / sa.func.nullif(sa.func.count(), 0),
                    kind="percent"),
            Measure("met", _l("Deals with competitors"), sa.func.sum(met), kind="int"),
            Measure("deals", _l("Deals"), sa.func.count(), kind="count"),
        ],
        default_rows="region", chart="bar", date_field=Opportunity.expected_close,
        description=_l("Share of our deals where a competitor appears."),
    )


def reports() -> list[Report]:
    """Built at start-up: the campaign columns of leads and deals are mapped by then."""
    return [roi_report(), lost_to_competitor(), collision_rate()]
