"""Sales modes and their stages, opportunities, their stage history and how they close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import Customer
from core.i18n import _l
from core.orm import Model, ref, utcnow

OPEN, WON, LOST = "open", "won", "lost"
OPPORTUNITY_STATES = [(OPEN, _l("Open")), (WON, _l("Won")), (LOST, _l("Lost"))]


class SalesMode(Model):
    """A named stage pipeline of a division (销售模式): "SI supply", "project sale"."""

    __tablename__ = "crm_sales_mode"
    __label__ = _l("Sales mode")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})


class Stage(Model):
    """A stage of a sales mode with its win probability (阶段, 赢率).

    A stage that opportunities name is archived (`active` false), never deleted,
    so their history and reports keep it.
    """

    __tablename__ = "crm_stage"
    __label__ = _l("Stage")
    __display__ = "full_name"

    sales_mode_id: Mapped[int] = ref(SalesMode, label=_l("Sales mode"))
    sequence: Mapped[int] = mapped_column(default=10, info={"label": _l("Sequence")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    # "<mode> · <stage>": stage names repeat across modes (商务谈判), pickers need both.
    full_name: Mapped[str] = mapped_column(sa.String(210), default="",
                                           info={"label": _l("Stage")})
    probability: Mapped[int] = mapped_column(info={"label": _l("Win probability (%)")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})

    sales_mode: Mapped[SalesMode] = relationship(lazy="joined")


class LostReason(Model):
    """Why a deal was lost (失败原因): price, relationship, product, competitor..."""

    __tablename__ = "crm_lost_reason"
    __label__ = _l("Lost reason")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})


class CompetitorCompany(Model):
    """A company competing for deals (竞争对手), as the funnel names it."""

    __tablename__ = "crm_funnel_competitor"
    __label__ = _l("Competitor")

    name: Mapped[str] = mapped_column(sa.String(200), index=True, info={"label": _l("Name")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})


class Opportunity(Model):
    """A sales project or opportunity (销售项目/商机) moving through a sales mode's stages."""

    __tablename__ = "crm_opportunity"
    __label__ = _l("Opportunity")
    __owner__ = "owner_id"
    __region__ = "region_id"
    __product_line__ = "product_line_id"
    __department__ = "department_id"
    __tracked__ = ("stage_id", "amount", "expected_close", "owner_id", "state")
    __table_args__ = (
        # The kanban column / filtered list: stage, sorted by close date, keyset on id.
        sa.Index("ix_crm_opportunity_stage_close", "stage_id", "expected_close", "id"),
        # The forecast: month × owner.
        sa.Index("ix_crm_opportunity_owner_close", "owner_id", "expected_close"),
        sa.Index("ix_crm_opportunity_state_close", "state", "expected_close"),
    )

    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    customer_id: Mapped[int] = ref(Customer, label=_l("Customer"))
    sales_mode_id: Mapped[int] = ref(SalesMode, label=_l("Sales mode"))
    stage_id: Mapped[int] = ref(Stage, index=False, label=_l("Stage"))
    amount: Mapped[Decimal] = mapped_column(default=Decimal(0), info={"label": _l("Amount")})
    probability: Mapped[int] = mapped_column(default=0,
                                             info={"label": _l("Win probability (%)")})
    expected_close: Mapped[dt.date] = mapped_column(info={"label": _l("Expected close")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       index=False, label=_l("Owner"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))
    state: Mapped[str] = mapped_column(
        sa.String(8), default=OPEN, server_default=OPEN,
        info={"label": _l("Status"), "choices": OPPORTUNITY_STATES},
    )
    stage_date: Mapped[dt.datetime] = mapped_column(default=utcnow,
                                                    info={"label": _l("In stage since")})
    closed_on: Mapped[dt.date | None] = mapped_column(info={"label": _l("Closed on")})
    lost_reason_id: Mapped[int | None] = ref(LostReason, nullable=True,
                                             label=_l("Lost reason"))
    won_competitor_id: Mapped[int | None] = ref(CompetitorCompany, nullable=True,
                                                label=_l("Competitor that won"))
    lost_note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Why it was lost")})
    description: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Description")})


class StageMove(Model):
    """One entry of an opportunity's stage history: from, to, who, when, time spent."""

    __tablename__ = "crm_stage_move"
    __label__ = _l("Stage history")
    __table_args__ = (sa.Index("ix_crm_stage_move_opportunity", "opportunity_id", "id"),)

    opportunity_id: Mapped[int] = ref(Opportunity, ondelete="CASCADE", index=False,
                                      label=_l("Opportunity"))
    from_stage_id: Mapped[int | None] = ref(Stage, nullable=True, index=False,
                                            label=_l("From stage"))
    to_stage_id: Mapped[int] = ref(Stage, label=_l("To stage"))
    user_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                      index=False, label=_l("By"))
    moved_at: Mapped[dt.datetime] = mapped_column(default=utcnow, info={"label": _l("Moved at")})
    # Seconds the opportunity spent in `from_stage` (None for the first entry).
    dwell_seconds: Mapped[int | None] = mapped_column(info={"label": _l("Seconds in stage")})

    opportunity: Mapped[Opportunity] = relationship()
