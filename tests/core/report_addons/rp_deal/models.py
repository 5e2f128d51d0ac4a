"""The sample deal."""

from __future__ import annotations

import datetime as dt
import decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.models import User
from core.orm import Model, ref

STAGES = [
    ("lead", _l("Lead")),
    ("proposal", _l("Proposal")),
    ("won", _l("Won")),
    ("lost", _l("Lost")),
]


class Deal(Model):
    """A sales opportunity (商机): who owns it, where it stands, what it is worth."""

    __tablename__ = "rp_deal"
    __label__ = _l("Deal")
    __owner__ = "owner_id"

    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    owner_id: Mapped[int | None] = ref(User, nullable=True, label=_l("Owner"))
    stage: Mapped[str] = mapped_column(sa.String(16), default="lead",
                                       info={"label": _l("Stage"), "choices": STAGES})
    amount: Mapped[decimal.Decimal] = mapped_column(info={"label": _l("Amount")})
    probability: Mapped[int] = mapped_column(sa.Integer, default=10,
                                             info={"label": _l("Probability")})
    close_date: Mapped[dt.date] = mapped_column(sa.Date, info={"label": _l("Close date")})
    signed_at: Mapped[dt.datetime | None] = mapped_column(info={"label": _l("Signed at")})
