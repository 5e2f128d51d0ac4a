"""The customer record."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.orm import Model, ref


LEVELS = [("A", _l("A: key account")), ("B", _l("B: important")), ("C", _l("C: ordinary")),
          ("D", _l("D: small"))]
STATUSES = [
    ("to_identify", _l("To identify")),
    ("prospect", _l("Prospect")),
    ("opportunity", _l("Opportunity customer")),
    ("formal", _l("Formal customer")),
    ("lost", _l("Lost")),
    ("stopped", _l("Stopped trading")),
    ("bankrupt", _l("Bankrupt")),
]


class Customer(Model):
    """A customer of the company (客户): a company resource, not a rep's."""

    __tablename__ = "crm_customer"
    __label__ = _l("Customer")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)
    # The columns record rules read: owner (业务员), region, product line, department.
    __owner__ = "owner_id"
    __region__ = "region_id"
    __product_line__ = "product_line_id"
    __department__ = "department_id"
    __tracked__ = ("owner_id", "level", "status")

    name: Mapped[str] = mapped_column(sa.String(200), index=True, info={"label": _l("Name")})
    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    phone: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Phone")})
    level: Mapped[str | None] = mapped_column(
        sa.String(1), info={"label": _l("Level"), "choices": LEVELS}
    )
    status: Mapped[str] = mapped_column(
        sa.String(16), default="prospect", server_default="prospect", index=True,
        info={"label": _l("Status"), "choices": STATUSES},
    )
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
