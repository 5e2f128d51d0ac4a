"""Competitor management (竞争管理, #16): the company record marketing keeps on the
competitor master, the competitors' products and the moves reps report.

The master is crm_customer's (`Competitor`): every division has it, whichever
addons it runs. Marketing adds the profile (size, strengths, weaknesses, the
regions it is active in, its key customers and its website), the competitor
products (竞品) with their prices and the own product each competes with, and
the competitor moves (竞品动态: price changes, new products, promotions) with
date, region and evidence. Nothing here needs deals: a division running
crm_marketing without crm_funnel has all of it. What needs deals (lost to a
competitor, collision rate, tenders) is crm_marketing_funnel's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Competitor, Product
from core.i18n import _l
from core.orm import Model, extends, ref

SIZES = [("small", _l("Small")), ("medium", _l("Medium")), ("large", _l("Large"))]


@extends(Competitor)
class CompetitorProfile:
    """The company record of a competitor (竞争对手档案)."""

    size: Mapped[str | None] = mapped_column(
        sa.String(8), info={"label": _l("Size"), "choices": SIZES})
    strengths: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Strengths")})
    weaknesses: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Weaknesses")})
    regions: Mapped[str | None] = mapped_column(sa.String(500),
                                                info={"label": _l("Regions active in")})
    key_customers: Mapped[str | None] = mapped_column(sa.String(500),
                                                      info={"label": _l("Key customers")})
    website: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("Website")})


MOVE_KINDS = [("price_change", _l("Price change")), ("new_product", _l("New product")),
              ("promotion", _l("Promotion")), ("other", _l("Other"))]


class CompetitorProduct(Model):
    """A competitor's product, its price and the own product it competes with (竞品).

    Until #16's last step these rows were the funnel bridge's
    (`crm_marketing_funnel_product`); crm_marketing_0008 moved them here with their ids.
    """

    __tablename__ = "crm_marketing_competitor_product"
    __label__ = _l("Competitor product")

    competitor_id: Mapped[int] = ref(Competitor, ondelete="CASCADE", label=_l("Competitor"))
    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Price")})
    own_product_id: Mapped[int | None] = ref(Product, nullable=True, ondelete="SET NULL",
                                             label=_l("Competes with our product"))
    note: Mapped[str | None] = mapped_column(sa.String(500), info={"label": _l("Note")})


class CompetitorMove(Model):
    """A competitor move (竞品动态) reported by a rep: price cut, new product, promotion."""

    __tablename__ = "crm_marketing_competitor_move"
    __label__ = _l("Competitor move")
    __display__ = "summary"
    __owner__ = "reporter_id"
    __region__ = "region_id"
    __attachments__ = True  # the evidence: photos, price lists
    __table_args__ = (sa.Index("ix_crm_marketing_competitor_move_day", "seen_on", "id"),)

    competitor_id: Mapped[int] = ref(Competitor, label=_l("Competitor"))
    kind: Mapped[str] = mapped_column(sa.String(16), default="price_change",
                                      info={"label": _l("Kind"), "choices": MOVE_KINDS})
    seen_on: Mapped[dt.date] = mapped_column(default=dt.date.today, info={"label": _l("Date")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_id: Mapped[int | None] = ref(CompetitorProduct, nullable=True, ondelete="SET NULL",
                                         label=_l("Competitor product"))
    old_price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Price before")})
    new_price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Price now")})
    summary: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Summary")})
    evidence: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Evidence")})
    reporter_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                          label=_l("Reported by"))
