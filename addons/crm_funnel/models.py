"""Sales modes and their stages, opportunities, their stage history and how they close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import (
    DECISION_ROLES,
    Competitor,
    Contact,
    Customer,
    Industry,
    LeadSource,
    Product,
)
from addons.crm_team.models import Visit  # visits are crm_team's (#17)
from core.i18n import _l
from core.orm import Model, extends, ref, utcnow

OPEN, WON, LOST = "open", "won", "lost"
OPPORTUNITY_STATES = [(OPEN, _l("Open")), (WON, _l("Won")), (LOST, _l("Lost"))]


class SalesMode(Model):
    """A named stage pipeline of a division (销售模式): "SI supply", "project sale"."""

    __tablename__ = "crm_sales_mode"
    __lookup__ = True
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
    __lookup__ = True
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
    __lookup__ = True
    __label__ = _l("Lost reason")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})


# The competitors deals meet are crm_customer's competitor master since #16 (one list
# for every addon); the funnel's name for it stays.
CompetitorCompany = Competitor


class Opportunity(Model):
    """A sales project or opportunity (销售项目/商机) moving through a sales mode's stages."""

    __tablename__ = "crm_opportunity"
    __shareable__ = True  # a deal team: pre-sales, manager, other regions' colleagues (#14)
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

    # The deal's people, edited as lines of its form.
    contacts: Mapped[list[DecisionMaker]] = relationship(
        cascade="all, delete-orphan", order_by="DecisionMaker.id",
        info={"label": _l("Decision tree")})
    competitors: Mapped[list[DealCompetitor]] = relationship(
        cascade="all, delete-orphan", order_by="DealCompetitor.id",
        info={"label": _l("Competitors")})
    partners: Mapped[list[DealPartner]] = relationship(
        cascade="all, delete-orphan", order_by="DealPartner.id", info={"label": _l("Partners")})


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


# ------------------------------------------------------------ the deal's people

ATTITUDES = [("supporter", _l("Supporter")), ("neutral", _l("Neutral")),
             ("opponent", _l("Opponent"))]
PARTNER_ROLES = [("design_institute", _l("Design institute")),
                 ("integrator", _l("System integrator")), ("distributor", _l("Distributor")),
                 ("consultant", _l("Consultant")), ("other", _l("Other"))]


class DecisionMaker(Model):
    """A contact in an opportunity's decision tree (决策树): their role and attitude."""

    __tablename__ = "crm_opportunity_contact"
    __label__ = _l("Decision tree")

    opportunity_id: Mapped[int] = ref(Opportunity, ondelete="CASCADE", label=_l("Opportunity"))
    contact_id: Mapped[int] = ref(Contact, ondelete="CASCADE", label=_l("Contact"))
    role: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Role in the decision"), "choices": DECISION_ROLES})
    attitude: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Attitude"), "choices": ATTITUDES})
    note: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Note")})


class DealCompetitor(Model):
    """A competitor bidding for an opportunity, with what is known of its offer."""

    __tablename__ = "crm_opportunity_competitor"
    __label__ = _l("Competitor on the deal")

    opportunity_id: Mapped[int] = ref(Opportunity, ondelete="CASCADE", label=_l("Opportunity"))
    competitor_id: Mapped[int] = ref(CompetitorCompany, label=_l("Competitor"))
    offer: Mapped[Decimal | None] = mapped_column(info={"label": _l("Their offer")})
    note: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Note")})


class DealPartner(Model):
    """A partner on an opportunity: design institute, integrator, distributor."""

    __tablename__ = "crm_opportunity_partner"
    __label__ = _l("Partner on the deal")

    opportunity_id: Mapped[int] = ref(Opportunity, ondelete="CASCADE", label=_l("Opportunity"))
    partner_id: Mapped[int] = ref(Customer, label=_l("Partner"))
    role: Mapped[str | None] = mapped_column(
        sa.String(20), info={"label": _l("Role"), "choices": PARTNER_ROLES})
    note: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Note")})


# ------------------------------------------------------------------ contracts


class Contract(Model):
    """The contract or order a won opportunity produces (合同)."""

    __tablename__ = "crm_contract"
    __label__ = _l("Contract")
    __display__ = "number"
    __owner__ = "owner_id"
    __region__ = "region_id"
    __product_line__ = "product_line_id"
    __department__ = "department_id"
    __table_args__ = (sa.UniqueConstraint("division_id", "number"),)

    number: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Contract number")})
    opportunity_id: Mapped[int | None] = ref(Opportunity, nullable=True, ondelete="SET NULL",
                                             label=_l("Opportunity"))
    customer_id: Mapped[int] = ref(Customer, label=_l("Customer"))
    quote_id: Mapped[int | None] = ref("crm_quote", nullable=True, ondelete="SET NULL",
                                       label=_l("Quote"))
    amount: Mapped[Decimal] = mapped_column(default=Decimal(0), info={"label": _l("Amount")})
    signed_on: Mapped[dt.date] = mapped_column(info={"label": _l("Signed on")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))

    lines: Mapped[list[ContractLine]] = relationship(
        cascade="all, delete-orphan", order_by="ContractLine.id",
        info={"label": _l("Lines")})

    def compute(self) -> None:
        """The contract amount is the sum of its lines, when it has lines."""
        for line in self.lines:
            line.compute()
        if self.lines:
            self.amount = sum((line.amount for line in self.lines), Decimal(0))


class ContractLine(Model):
    """A product and quantity on a contract."""

    __tablename__ = "crm_contract_line"
    __label__ = _l("Contract line")

    contract_id: Mapped[int] = ref(Contract, ondelete="CASCADE", label=_l("Contract"))
    product_id: Mapped[int | None] = ref(Product, nullable=True, label=_l("Product"))
    description: Mapped[str | None] = mapped_column(sa.String(200),
                                                    info={"label": _l("Description")})
    quantity: Mapped[int] = mapped_column(default=1, info={"label": _l("Quantity")})
    price: Mapped[Decimal] = mapped_column(default=Decimal(0), info={"label": _l("Unit price")})
    amount: Mapped[Decimal] = mapped_column(default=Decimal(0), info={"label": _l("Amount")})

    def compute(self) -> None:
        """Amount = quantity × unit price."""
        self.amount = Decimal(self.quantity or 0) * (self.price or Decimal(0))


# ---------------------------------------------------------------------- leads

POOL, ASSIGNED, CONVERTED, REJECTED = "pool", "assigned", "converted", "rejected"
LEAD_STATES = [(POOL, _l("In the lead pool")), (ASSIGNED, _l("Assigned")),
               (CONVERTED, _l("Converted")), (REJECTED, _l("Rejected"))]


class LeadRule(Model):
    """An assignment rule (分配规则): leads matching it go to a rep, or a team in turn."""

    __tablename__ = "crm_lead_rule"
    __label__ = _l("Lead assignment rule")

    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    sequence: Mapped[int] = mapped_column(default=10, info={"label": _l("Sequence")})
    industry_id: Mapped[int | None] = ref(Industry, nullable=True, label=_l("Industry"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))
    user_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                      label=_l("Rep"))
    team_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                      label=_l("Team (in rotation)"))
    cap: Mapped[int] = mapped_column(default=0, info={"label": _l("Open leads per rep (0: no cap)")})
    follow_up_days: Mapped[int] = mapped_column(default=3,
                                                info={"label": _l("Days to the first activity")})
    return_to_pool: Mapped[bool] = mapped_column(
        default=False, info={"label": _l("Return overdue leads to the pool")})
    last_user_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                           index=False, label=_l("Last assigned"))
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})


class Lead(Model):
    """A lead (线索): a need heard of, to be qualified into an opportunity or rejected."""

    __tablename__ = "crm_lead"
    __label__ = _l("Lead")
    __owner__ = "owner_id"
    __region__ = "region_id"
    __product_line__ = "product_line_id"
    __department__ = "department_id"
    __tracked__ = ("owner_id", "state")
    __table_args__ = (sa.Index("ix_crm_lead_state_deadline", "state", "deadline"),)

    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Need")})
    source_id: Mapped[int | None] = ref(LeadSource, nullable=True, label=_l("Source"))
    company: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Company")})
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, ondelete="SET NULL",
                                          label=_l("Customer"))
    contact_name: Mapped[str | None] = mapped_column(sa.String(64),
                                                     info={"label": _l("Contact person")})
    phone: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Phone")})
    detail: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Details")})
    amount: Mapped[Decimal | None] = mapped_column(info={"label": _l("Estimated amount")})
    industry_id: Mapped[int | None] = ref(Industry, nullable=True, label=_l("Industry"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    state: Mapped[str] = mapped_column(sa.String(12), default=POOL, server_default=POOL,
                                       info={"label": _l("Status"), "choices": LEAD_STATES})
    assigned_at: Mapped[dt.datetime | None] = mapped_column(info={"label": _l("Assigned at")})
    deadline: Mapped[dt.date | None] = mapped_column(info={"label": _l("Follow up by")})
    overdue: Mapped[bool] = mapped_column(default=False, info={"label": _l("Overdue")})
    reject_reason: Mapped[str | None] = mapped_column(sa.String(255),
                                                      info={"label": _l("Why rejected")})
    opportunity_id: Mapped[int | None] = ref(Opportunity, nullable=True, ondelete="SET NULL",
                                             label=_l("Opportunity"))


# --------------------------------------------------------------------- quotes

DRAFT, SUBMITTED, APPROVED = "draft", "submitted", "approved"
QUOTE_STATES = [(DRAFT, _l("Draft")), (SUBMITTED, _l("Waiting for approval")),
                (APPROVED, _l("Approved"))]


class Quote(Model):
    """A quote (报价单) to a customer, usually for an opportunity, with product lines."""

    __tablename__ = "crm_quote"
    __label__ = _l("Quote")
    __display__ = "number"
    __owner__ = "owner_id"
    __region__ = "region_id"
    __product_line__ = "product_line_id"
    __department__ = "department_id"
    __table_args__ = (sa.UniqueConstraint("division_id", "number"),)

    # Empty: the next number of the month (BJ-202611-0001) when saved.
    number: Mapped[str] = mapped_column(sa.String(32), default="",
                                        info={"label": _l("Quote number")})
    customer_id: Mapped[int] = ref(Customer, label=_l("Customer"))
    opportunity_id: Mapped[int | None] = ref(Opportunity, nullable=True, ondelete="SET NULL",
                                             label=_l("Opportunity"))
    quote_date: Mapped[dt.date] = mapped_column(default=dt.date.today,
                                                info={"label": _l("Quote date")})
    state: Mapped[str] = mapped_column(sa.String(12), default=DRAFT, server_default=DRAFT,
                                       info={"label": _l("Status"), "choices": QUOTE_STATES})
    total: Mapped[Decimal] = mapped_column(default=Decimal(0), info={"label": _l("Total")})
    # Why approval is needed, refreshed on each save: lines below floor or far under the last price.
    approval_reason: Mapped[str | None] = mapped_column(
        sa.String(500), info={"label": _l("Needs approval because")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_line_id: Mapped[int | None] = ref("kehu_product_line", nullable=True,
                                              label=_l("Product line"))
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})

    lines: Mapped[list[QuoteLine]] = relationship(
        cascade="all, delete-orphan", order_by="QuoteLine.id", info={"label": _l("Lines")})

    def compute(self) -> None:
        """Line amounts and the total."""
        for line in self.lines:
            line.compute()
        self.total = sum((line.amount for line in self.lines), Decimal(0))


class QuoteLine(Model):
    """A product on a quote, with the floor and last price seen when it was priced."""

    __tablename__ = "crm_quote_line"
    __label__ = _l("Quote line")

    quote_id: Mapped[int] = ref(Quote, ondelete="CASCADE", label=_l("Quote"))
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quantity: Mapped[int] = mapped_column(default=1, info={"label": _l("Quantity")})
    price: Mapped[Decimal] = mapped_column(info={"label": _l("Unit price")})
    amount: Mapped[Decimal] = mapped_column(default=Decimal(0), info={"label": _l("Amount")})
    # Filled in on every save of a draft: what price protection compares the price with.
    floor_price: Mapped[Decimal | None] = mapped_column(
        info={"label": _l("Floor price (filled in)")})
    last_price: Mapped[Decimal | None] = mapped_column(
        info={"label": _l("Last price to this customer (filled in)")})

    def compute(self) -> None:
        """Amount = quantity × unit price."""
        self.amount = Decimal(self.quantity or 0) * (self.price or Decimal(0))


class PriceHistory(Model):
    """Every price quoted to a customer for a product (价格保护), one history per pair."""

    __tablename__ = "crm_price_history"
    __label__ = _l("Price history")
    __table_args__ = (sa.Index("ix_crm_price_history_pair", "customer_id", "product_id", "id"),)

    customer_id: Mapped[int] = ref(Customer, ondelete="CASCADE", index=False,
                                   label=_l("Customer"))
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quote_id: Mapped[int | None] = ref(Quote, nullable=True, ondelete="SET NULL",
                                       label=_l("Quote"))
    price: Mapped[Decimal] = mapped_column(info={"label": _l("Unit price")})
    quantity: Mapped[int] = mapped_column(default=1, info={"label": _l("Quantity")})
    quoted_on: Mapped[dt.date] = mapped_column(info={"label": _l("Quoted on")})
    user_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                      label=_l("Quoted by"))


class FunnelSetting(Model):
    """The division's funnel settings: how far under the last price a quote may go."""

    __tablename__ = "crm_funnel_setting"
    __label__ = _l("Funnel settings")
    __table_args__ = (sa.UniqueConstraint("division_id", name="uq_crm_funnel_setting_division"),)

    max_price_drop: Mapped[int] = mapped_column(
        default=10, info={"label": _l("Largest drop under the last quoted price without approval (%)")})


# ------------------------------------------------------- forecast and targets


class ForecastSnapshot(Model):
    """The weighted forecast as it stood on a day, per owner and closing month."""

    __tablename__ = "crm_forecast_snapshot"
    __label__ = _l("Forecast snapshot")
    __owner__ = "owner_id"
    __department__ = "department_id"
    __table_args__ = (sa.Index("ix_crm_forecast_snapshot_taken", "taken_on", "month"),)

    taken_on: Mapped[dt.date] = mapped_column(info={"label": _l("Taken on")})
    month: Mapped[dt.date] = mapped_column(info={"label": _l("Closing month")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    opportunities: Mapped[int] = mapped_column(default=0, info={"label": _l("Opportunities")})
    pipeline: Mapped[Decimal] = mapped_column(default=Decimal(0), info={"label": _l("Pipeline")})
    weighted: Mapped[Decimal] = mapped_column(default=Decimal(0),
                                              info={"label": _l("Weighted forecast")})


class SalesTarget(Model):
    """A sales target (指标) of a department or a rep for a period, split down the tree."""

    __tablename__ = "crm_sales_target"
    __label__ = _l("Sales target")
    __department__ = "department_id"
    # 指标变更: every change of the amount is logged with its reason (#14).
    __tracked__ = ("amount", "change_reason")

    period_start: Mapped[dt.date] = mapped_column(info={"label": _l("From")})
    period_end: Mapped[dt.date] = mapped_column(info={"label": _l("To")})
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    user_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                      label=_l("Rep"))
    amount: Mapped[Decimal] = mapped_column(info={"label": _l("Target amount")})
    parent_id: Mapped[int | None] = ref("crm_sales_target", nullable=True, ondelete="CASCADE",
                                        label=_l("Split from"))
    change_reason: Mapped[str | None] = mapped_column(sa.String(200),
                                                      info={"label": _l("Reason for the change")})


@extends(Visit)
class VisitDeal:
    """The opportunity a visit was for: crm_funnel's column on crm_team's visit (#17)."""

    opportunity_id: Mapped[int | None] = ref(Opportunity, nullable=True, ondelete="SET NULL",
                                             label=_l("Opportunity"))
