"""Lookup lists of the customer master (基础资料): industries, sources, types, products.

Each list is kept per division and editable by administrators. Names are stored
in Chinese (what users type and what import files contain) with an English name
beside them.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.orm import Model, Money, ref


class _Lookup(Model):
    """A coded, named entry of a lookup list, in Chinese and English: company-wide or
    one division's (#14)."""

    __abstract__ = True
    __lookup__ = True

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(64), info={"label": _l("Name")})
    name_en: Mapped[str | None] = mapped_column(sa.String(128),
                                                info={"label": _l("English name")})
    sequence: Mapped[int] = mapped_column(sa.Integer, default=10, server_default="10",
                                          info={"label": _l("Sequence")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class Industry(_Lookup):
    """An industry customers belong to (行业): manufacturing, finance..."""

    __tablename__ = "crm_industry"
    __label__ = _l("Industry")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)


class LeadSource(_Lookup):
    """Where a customer or lead came from (来源): referral, trade show, web..."""

    __tablename__ = "crm_lead_source"
    __label__ = _l("Lead source")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)


class CustomerType(_Lookup):
    """A kind of customer (客户类型): design institute, end user, distributor, pharmacy..."""

    __tablename__ = "crm_customer_type"
    __label__ = _l("Customer type")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    # Distributors and chains have a warehouse, an area, annual sales and staff.
    is_distributor: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(), info={"label": _l("Distributor")})


class ProductCategory(Model):
    """A node of the product category tree; a child's code extends its parent's (A → A01 → A0101)."""

    __tablename__ = "crm_product_category"
    __lookup__ = True
    __label__ = _l("Product category")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(64), info={"label": _l("Name")})
    name_en: Mapped[str | None] = mapped_column(sa.String(128),
                                                info={"label": _l("English name")})
    parent_id: Mapped[int | None] = ref("crm_product_category", nullable=True,
                                        label=_l("Parent category"))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class Product(Model):
    """A product the company sells, with its list price and the lowest price allowed."""

    __tablename__ = "crm_product"
    __lookup__ = True
    __label__ = _l("Product")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)
    __product_line__ = "product_line_id"

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(128), index=True, info={"label": _l("Name")})
    spec: Mapped[str | None] = mapped_column(sa.String(128), info={"label": _l("Specification")})
    model: Mapped[str | None] = mapped_column(sa.String(64), info={"label": _l("Model")})
    unit: Mapped[str | None] = mapped_column(sa.String(16), info={"label": _l("Unit")})
    category_id: Mapped[int | None] = ref(ProductCategory, nullable=True, label=_l("Category"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))
    price: Mapped[Decimal | None] = mapped_column(Money(), info={"label": _l("List price")})
    # The lowest price a quote may offer without approval (crm_funnel's price protection).
    floor_price: Mapped[Decimal | None] = mapped_column(Money(),
                                                        info={"label": _l("Floor price")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})
