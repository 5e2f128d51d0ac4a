"""Channel inventory (渠道库存): periods, opening stock, distributors' own stock
reports, adjustments and the computed stock per distributor × product × period."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Customer, Product
from core.i18n import _l
from core.orm import Model, ref

PERIOD_STATES = [("open", _l("Open")), ("closed", _l("Closed"))]
ADJUSTMENT_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                     ("approved", _l("Approved"))]


class Period(Model):
    """A stock period of the division (期间设置): a month, opened and closed."""

    __tablename__ = "crm_channel_period"
    __label__ = _l("Stock period")
    __display__ = "code"
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(7), info={"label": _l("Period (YYYY-MM)")})
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("From")})
    date_to: Mapped[dt.date] = mapped_column(info={"label": _l("Until")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="open", server_default="open", index=True,
        info={"label": _l("State"), "choices": PERIOD_STATES})


class _PeriodQuantity(Model):
    """A quantity of one product at one distributor in one period."""

    __abstract__ = True
    __display__ = "product_id"

    period_id: Mapped[int] = ref(Period, label=_l("Period"))
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Quantity")})


class OpeningStock(_PeriodQuantity):
    """Stock a distributor held when channel stock keeping started (期初库存)."""

    __tablename__ = "crm_channel_opening"
    __label__ = _l("Opening stock")
    __table_args__ = (sa.UniqueConstraint("period_id", "distributor_id", "product_id"),)


class StockReport(_PeriodQuantity):
    """Stock a distributor reported itself at the end of a period (库存导入单)."""

    __tablename__ = "crm_channel_stock_report"
    __label__ = _l("Reported stock")
    __table_args__ = (sa.UniqueConstraint("period_id", "distributor_id", "product_id"),)


class StockAdjustment(_PeriodQuantity):
    """A correction of computed stock (库存调整单), counted once approved."""

    __tablename__ = "crm_channel_adjustment"
    __label__ = _l("Stock adjustment")
    __owner__ = "owner_id"

    reason: Mapped[str] = mapped_column(sa.String(255), info={"label": _l("Reason")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Requested by"))
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": ADJUSTMENT_STATES})


class ChannelStock(Model):
    """The computed stock of a product at a distributor for a period (库存计算单)."""

    __tablename__ = "crm_channel_stock"
    __label__ = _l("Channel stock")
    __display__ = "product_id"
    __table_args__ = (sa.UniqueConstraint("period_id", "distributor_id", "product_id"),)

    period_id: Mapped[int] = ref(Period, label=_l("Period"))
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    opening: Mapped[int] = mapped_column(sa.Integer, default=0, info={"label": _l("Opening")})
    purchased: Mapped[int] = mapped_column(sa.Integer, default=0,
                                           info={"label": _l("Purchased")})
    returned: Mapped[int] = mapped_column(sa.Integer, default=0, info={"label": _l("Returned")})
    sold: Mapped[int] = mapped_column(sa.Integer, default=0, info={"label": _l("Sold")})
    adjusted: Mapped[int] = mapped_column(sa.Integer, default=0, info={"label": _l("Adjusted")})
    closing: Mapped[int] = mapped_column(sa.Integer, default=0, info={"label": _l("Closing")})
    reported: Mapped[int | None] = mapped_column(sa.Integer,
                                                 info={"label": _l("Reported by the distributor")})
    difference: Mapped[int | None] = mapped_column(sa.Integer,
                                                   info={"label": _l("Difference")})
