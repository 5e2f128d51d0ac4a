"""crm_marketing's reports on the kernel's report engine: promotional material stock and
usage (what was issued, by item, campaign, region and month), survey results, and
competitor prices over time from the reported moves (#16)."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_marketing.models import (
    CompetitorMove,
    MaterialItem,
    MaterialRequest,
    MaterialRequestLine,
    MaterialStock,
    SurveyAnswer,
)
from core.i18n import _l
from core.reports import Dimension, Measure, Report, month, quarter


def stock_report() -> Report:
    """What each warehouse holds, item by item, and its value."""
    return Report(
        key="material_stock", label=_l("Material stock"), model=MaterialStock,
        dimensions=[
            Dimension("item", _l("Promotional item"), MaterialStock.item_id),
            Dimension("warehouse", _l("Warehouse"), MaterialStock.warehouse_id),
        ],
        measures=[
            Measure("quantity", _l("In stock"), sa.func.sum(MaterialStock.quantity), kind="int"),
            Measure("value", _l("Value"),
                    sa.func.sum(MaterialStock.quantity * MaterialItem.unit_cost), kind="money"),
        ],
        joins=[(MaterialItem, MaterialItem.id == MaterialStock.item_id)],
        default_rows="item", default_columns="warehouse",
        description=_l("Promotional material in stock per warehouse."),
    )


def usage_report() -> Report:
    """Material issued on approved requests, by item, campaign, region and period."""
    return Report(
        key="material_usage", label=_l("Material usage"), model=MaterialRequestLine,
        dimensions=[
            Dimension("item", _l("Promotional item"), MaterialRequestLine.item_id),
            Dimension("campaign", _l("Campaign"), MaterialRequest.campaign_id),
            Dimension("region", _l("Region"), MaterialRequest.region_id),
            Dimension("requester", _l("Requested by"), MaterialRequest.requester_id),
            Dimension("warehouse", _l("Warehouse"), MaterialRequest.warehouse_id),
            Dimension("month", _l("Month"), month(MaterialRequest.issued_on)),
            Dimension("quarter", _l("Quarter"), quarter(MaterialRequest.issued_on)),
        ],
        measures=[
            Measure("quantity", _l("Quantity"), sa.func.sum(MaterialRequestLine.quantity),
                    kind="int"),
            Measure("value", _l("Value"),
                    sa.func.sum(MaterialRequestLine.quantity * MaterialItem.unit_cost),
                    kind="money"),
        ],
        joins=[(MaterialRequest, MaterialRequest.id == MaterialRequestLine.request_id),
               (MaterialItem, MaterialItem.id == MaterialRequestLine.item_id)],
        default_rows="item", default_columns="campaign",
        where=lambda model, actor: MaterialRequest.state == "issued",
        description=_l("Promotional material issued, by item, campaign, region and month."),
    )


def survey_results() -> Report:
    """Answers per question and option, average scores, by customer segment."""
    return Report(
        key="survey_results", label=_l("Survey results"), model=SurveyAnswer,
        dimensions=[
            Dimension("question", _l("Question"), SurveyAnswer.question_id),
            Dimension("option", _l("Option"), SurveyAnswer.option),
            Dimension("survey", _l("Survey"), SurveyAnswer.survey_id),
            Dimension("customer", _l("Customer"), SurveyAnswer.customer_id),
            Dimension("level", _l("Customer level"), Customer.level),
            Dimension("industry", _l("Industry"), Customer.industry_id),
            Dimension("region", _l("Region"), Customer.region_id),
        ],
        measures=[
            Measure("answers", _l("Answers"), sa.func.count(), kind="count"),
            Measure("score", _l("Average score"),
                    sa.func.avg(SurveyAnswer.score * sa.literal(1.0, sa.Float)),
                    kind="decimal"),
        ],
        joins=[(Customer, Customer.id == SurveyAnswer.customer_id)],
        default_rows="question", default_columns="level", chart="bar",
        description=_l("Survey answers per question, with average scores, by customer "
                       "segment."),
    )


def price_history() -> Report:
    """Competitor prices as reported over time, by competitor and product."""
    return Report(
        key="competitor_prices", label=_l("Competitor prices over time"), model=CompetitorMove,
        dimensions=[
            Dimension("product", _l("Competitor product"), CompetitorMove.product_id),
            Dimension("competitor", _l("Competitor"), CompetitorMove.competitor_id),
            Dimension("region", _l("Region"), CompetitorMove.region_id),
            Dimension("month", _l("Month"), month(CompetitorMove.seen_on)),
            Dimension("quarter", _l("Quarter"), quarter(CompetitorMove.seen_on)),
        ],
        measures=[
            Measure("price", _l("Average price now"), sa.func.avg(CompetitorMove.new_price),
                    kind="money"),
            Measure("low", _l("Lowest price"), sa.func.min(CompetitorMove.new_price),
                    kind="money"),
            Measure("moves", _l("Moves"), sa.func.count(), kind="count"),
        ],
        default_rows="month", default_columns="product", chart="line",  # a line per product
        date_field=CompetitorMove.seen_on,
        where=lambda model, actor: CompetitorMove.new_price.is_not(None),
        description=_l("Competitor prices reported by reps, month by month."),
    )


def reports() -> list[Report]:
    """Every report of crm_marketing."""
    return [stock_report(), usage_report(), survey_results(), price_history()]
