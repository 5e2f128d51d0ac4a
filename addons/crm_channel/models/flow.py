"""Flow data (流向): distributors' sell-out reports, their column layouts and the
names people mapped once (remembered for every later import)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Customer, Product
from core.i18n import _l
from core.orm import Model, ref

ALIAS_KINDS = [("customer", _l("Customer")), ("product", _l("Product"))]


class FlowLayout(Model):
    """The column headings of one distributor's flow file (列映射)."""

    __tablename__ = "crm_channel_flow_layout"
    __label__ = _l("Flow file layout")
    __display__ = "distributor_id"
    __table_args__ = (sa.UniqueConstraint("distributor_id"),)

    distributor_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Distributor"))
    date_column: Mapped[str] = mapped_column(sa.String(64), info={"label": _l("Date column")})
    customer_column: Mapped[str] = mapped_column(sa.String(64),
                                                 info={"label": _l("Customer column")})
    product_column: Mapped[str] = mapped_column(sa.String(64),
                                                info={"label": _l("Product column")})
    quantity_column: Mapped[str] = mapped_column(sa.String(64),
                                                 info={"label": _l("Quantity column")})
    batch_column: Mapped[str | None] = mapped_column(sa.String(64),
                                                     info={"label": _l("Batch column")})


class FlowAlias(Model):
    """A name as a distributor writes it, mapped once to our customer or product."""

    __tablename__ = "crm_channel_flow_alias"
    __label__ = _l("Mapped name")
    __display__ = "name"
    __table_args__ = (sa.UniqueConstraint("distributor_id", "kind", "name"),)

    distributor_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Distributor"))
    kind: Mapped[str] = mapped_column(sa.String(16), info={"label": _l("Kind"),
                                                          "choices": ALIAS_KINDS})
    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name in the file")})
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, ondelete="CASCADE",
                                          label=_l("Customer"))
    product_id: Mapped[int | None] = ref(Product, nullable=True, ondelete="CASCADE",
                                         label=_l("Product"))


class FlowImport(Model):
    """One import of a distributor's flow file for a period: counts and who ran it."""

    __tablename__ = "crm_channel_flow_import"
    __label__ = _l("Flow import")
    __display__ = "period"

    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    period: Mapped[str] = mapped_column(sa.String(7), index=True,
                                        info={"label": _l("Period (YYYY-MM)")})
    file_name: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("File")})
    row_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0",
                                           info={"label": _l("Rows")})
    unmatched_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0",
                                                 info={"label": _l("Unmatched rows")})


class FlowLine(Model):
    """One sale a distributor reported: to whom, which product and batch, how many, when."""

    __tablename__ = "crm_channel_flow"
    __label__ = _l("Flow data")
    __display__ = "customer_name"
    __table_args__ = (sa.Index("ix_crm_channel_flow_period", "distributor_id", "period"),)

    import_id: Mapped[int | None] = ref(FlowImport, nullable=True, ondelete="SET NULL",
                                        index=False, label=_l("Flow import"))
    distributor_id: Mapped[int] = ref(Customer, index=False, label=_l("Distributor"))
    period: Mapped[str] = mapped_column(sa.String(7), info={"label": _l("Period")})
    sale_date: Mapped[dt.date | None] = mapped_column(info={"label": _l("Sold on")})
    customer_name: Mapped[str] = mapped_column(sa.String(200),
                                               info={"label": _l("Customer in the file")})
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Customer"))
    product_name: Mapped[str] = mapped_column(sa.String(200),
                                              info={"label": _l("Product in the file")})
    product_id: Mapped[int | None] = ref(Product, nullable=True, label=_l("Product"))
    batch: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Batch")})
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Quantity")})
