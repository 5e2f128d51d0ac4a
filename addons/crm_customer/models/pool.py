"""The public pool (公海): rules that return customers to it, claim limits, claims."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models.customer import Customer
from core.i18n import _l
from core.org import ROLES
from core.orm import Model, ref, utcnow

POOL_RULE_KINDS = [
    ("no_follow_up", _l("No follow-up activity for N days")),
    ("owner_left", _l("The owner has left (inactive user)")),
]


class PoolRule(Model):
    """When a division's customers go back to the pool; administrators edit them."""

    __tablename__ = "crm_pool_rule"
    __label__ = _l("Pool rule")
    __display__ = "kind"

    kind: Mapped[str] = mapped_column(sa.String(16),
                                      info={"label": _l("Rule"), "choices": POOL_RULE_KINDS})
    days: Mapped[int | None] = mapped_column(sa.Integer, info={"label": _l("Days")})
    levels: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Only levels (e.g. CD; empty: all)")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class ClaimLimit(Model):
    """How many pool customers a holder of a role may claim per day."""

    __tablename__ = "crm_claim_limit"
    __label__ = _l("Claim limit")
    __display__ = "role"
    __table_args__ = (sa.UniqueConstraint("division_id", "role"),)

    role: Mapped[str] = mapped_column(sa.String(32), info={
        "label": _l("Role"), "choices": [(code, label) for code, label in ROLES.items()]})
    daily_limit: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Claims per day")})


class PoolClaim(Model):
    """A customer taken from the pool by a user (the daily limit counts these)."""

    __tablename__ = "crm_pool_claim"
    __label__ = _l("Pool claim")
    __owner__ = "user_id"
    __table_args__ = (sa.Index("ix_crm_pool_claim_user_date", "user_id", "claimed_at"),)

    customer_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Customer"))
    user_id: Mapped[int] = ref("kehu_user", ondelete="CASCADE", label=_l("Claimed by"))
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow,
                                                    info={"label": _l("Claimed at (UTC)")})
