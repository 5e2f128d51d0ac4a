"""rp_deal: sample deals and the reports the report engine's tests run on them."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from core.access import DIVISION, OWN, Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.i18n import _l
from core.navigation import Menu
from core.org import GENERAL_MANAGER, SALES_MANAGER, SALES_REP
from core.reports import Dimension, Measure, Report, month, quarter, year
from core.views import Filter, FormView, ListView, View
from rp_deal.models import Deal

manifest = Manifest(name="rp_deal", version="1.0.0", summary="Sample deals with reports",
                    depends=[])

_DIMENSIONS = [
    Dimension("stage", _l("Stage"), Deal.stage),
    Dimension("owner", _l("Owner"), Deal.owner_id),
    Dimension("month", _l("Month"), month(Deal.close_date)),
    Dimension("quarter", _l("Quarter"), quarter(Deal.close_date)),
    Dimension("year", _l("Year"), year(Deal.close_date)),
    Dimension("signed_month", _l("Month signed"), month(Deal.signed_at)),
]

PIPELINE = Report(
    key="rp_pipeline", label=_l("Pipeline by stage"), model=Deal,
    dimensions=_DIMENSIONS,
    measures=[
        Measure("count", _l("Deals"), sa.func.count(), kind="count"),
        Measure("amount", _l("Amount"), sa.func.sum(Deal.amount), kind="money"),
        Measure("probability", _l("Average probability"), sa.func.avg(Deal.probability),
                kind="percent"),
    ],
    default_rows="stage", chart="funnel", date_field=Deal.close_date,
    filters=[Filter("open", _l("Open deals"), lambda model, actor: model.stage.in_(["lead", "proposal"])),
             Filter("big", _l("Over ¥100,000"), lambda model, actor: model.amount >= Decimal("100000"))],
)

FORECAST = Report(
    key="rp_forecast", label=_l("Weighted forecast"), model=Deal,
    dimensions=_DIMENSIONS,
    measures=[
        Measure("weighted", _l("Weighted amount"),
                sa.func.sum(Deal.amount * Deal.probability) / 100, kind="money"),
        Measure("count", _l("Deals"), sa.func.count(), kind="count"),
    ],
    default_rows="month", default_columns="owner", chart="line", date_field=Deal.close_date,
    where=lambda model, actor: model.stage != "lost",
    roles=(SALES_MANAGER, GENERAL_MANAGER),
)


@hookimpl
def kehu_register_models() -> list[type]:
    return [Deal]


@hookimpl
def kehu_register_views() -> list[View]:
    return [
        ListView(Deal, columns=[Deal.name, Deal.owner_id, Deal.stage, Deal.amount, Deal.close_date]),
        FormView(Deal, fields=[Deal.name, Deal.owner_id, Deal.stage, Deal.amount,
                               Deal.probability, Deal.close_date, Deal.signed_at]),
    ]


@hookimpl
def kehu_register_reports() -> list[Report]:
    return [PIPELINE, FORECAST]


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return [Menu("rp_deals", _l("Deals"), model=Deal, sequence=60)]


@hookimpl
def kehu_register_access() -> list[Access]:
    return [
        Access(Deal, SALES_REP, read=True, create=True, write=True),
        Access(Deal, (SALES_MANAGER, GENERAL_MANAGER), read=True, create=True, write=True),
    ]


@hookimpl
def kehu_register_record_rules() -> list[RecordRule]:
    return [
        RecordRule(Deal, SALES_REP, OWN),
        RecordRule(Deal, (SALES_MANAGER, GENERAL_MANAGER), DIVISION),
    ]
