"""Market inspection (市场监察): counterfeit and infringement reports with evidence,
state and follow-up. (Cross-region selling, 窜货, belongs to crm_channel.)"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Product
from core.i18n import _l
from core.orm import Model, ref

INSPECTION_KINDS = [("counterfeit", _l("Counterfeit (假冒)")),
                    ("infringement", _l("Infringement (侵权)"))]
INSPECTION_STATES = [("reported", _l("Reported")), ("investigating", _l("Investigating")),
                     ("closed", _l("Closed"))]


class InspectionCase(Model):
    """A counterfeit or infringement case (打假与侵权), from report to its outcome."""

    __tablename__ = "crm_marketing_inspection"
    __label__ = _l("Market inspection case")
    __display__ = "title"
    __owner__ = "reporter_id"
    __region__ = "region_id"
    __attachments__ = True  # the evidence: photos, purchase receipts, web pages
    __tracked__ = ("state", "handler_id")

    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    kind: Mapped[str] = mapped_column(sa.String(16), default="counterfeit",
                                      info={"label": _l("Kind"), "choices": INSPECTION_KINDS})
    found_on: Mapped[dt.date] = mapped_column(default=dt.date.today,
                                              info={"label": _l("Found on")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    place: Mapped[str | None] = mapped_column(sa.String(200),
                                              info={"label": _l("Where (shop, website)")})
    product_id: Mapped[int | None] = ref(Product, nullable=True, ondelete="SET NULL",
                                         label=_l("Our product concerned"))
    suspect: Mapped[str | None] = mapped_column(sa.String(200),
                                                info={"label": _l("Suspected party")})
    evidence: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Evidence")})
    follow_up: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Follow-up")})
    outcome: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Outcome")})
    reporter_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                          label=_l("Reported by"))
    handler_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                         label=_l("Handled by"))
    state: Mapped[str] = mapped_column(sa.String(16), default="reported",
                                       server_default="reported", index=True,
                                       info={"label": _l("State"), "choices": INSPECTION_STATES})
