"""Campaigns (市场活动): categories, the application with budget lines (活动申请单),
participants, and the close-out with actual cost lines (活动结案单).

A campaign is applied for (draft → submitted → approved, approval by amount),
run (participants registered and checked in, leads created from it), then
closed out: the close-out is its own document with its own approval, and when
it is approved the campaign becomes `closed` and stays locked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import Contact, Customer
from core.i18n import _l
from core.orm import Model, ref

DRAFT, SUBMITTED, APPROVED, CLOSED = "draft", "submitted", "approved", "closed"
CAMPAIGN_STATES = [(DRAFT, _l("Draft")), (SUBMITTED, _l("Submitted")),
                   (APPROVED, _l("Approved")), (CLOSED, _l("Closed out"))]
CLOSEOUT_STATES = [(DRAFT, _l("Draft")), (SUBMITTED, _l("Submitted")),
                   (APPROVED, _l("Approved"))]


class CampaignCategory(Model):
    """A kind of campaign (活动类别), company-wide or one division's: trade show, seminar,
    academic meeting..."""

    __tablename__ = "crm_marketing_category"
    __lookup__ = True  # company-wide entries, or one division's (#14)
    __label__ = _l("Campaign category")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    # Applications above this budget also need the general manager (0: always).
    gm_threshold: Mapped[Decimal] = mapped_column(
        default=Decimal("50000"), server_default="5000000",
        info={"label": _l("General manager approves above")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class CampaignCostType(Model):
    """A cost type of campaign budgets and close-outs (费用类型): venue, travel, materials..."""

    __tablename__ = "crm_marketing_cost_type"
    __lookup__ = True
    __label__ = _l("Campaign cost type")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class Campaign(Model):
    """A market campaign (市场活动) and its application: goal, dates, place, budget."""

    __tablename__ = "crm_marketing_campaign"
    __label__ = _l("Campaign")
    __owner__ = "organizer_id"
    __department__ = "department_id"
    __region__ = "region_id"
    __tracked__ = ("state", "budget_total", "date_from", "date_to", "organizer_id")
    __attachments__ = True
    __table_args__ = (sa.Index("ix_crm_marketing_campaign_dates", "date_from", "id"),)

    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    category_id: Mapped[int] = ref(CampaignCategory, label=_l("Category"))
    goal: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Goal")})
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("Starts on")})
    date_to: Mapped[dt.date] = mapped_column(info={"label": _l("Ends on")})
    place: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("Place")})
    target: Mapped[str | None] = mapped_column(
        sa.String(500), info={"label": _l("Target customers or regions")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    expected_leads: Mapped[int] = mapped_column(default=0, server_default="0",
                                                info={"label": _l("Expected leads")})
    budget_total: Mapped[Decimal] = mapped_column(default=Decimal("0"), server_default="0",
                                                  info={"label": _l("Budget")})
    organizer_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                           label=_l("Organizer"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    state: Mapped[str] = mapped_column(
        sa.String(16), default=DRAFT, server_default=DRAFT, index=True,
        info={"label": _l("State"), "choices": CAMPAIGN_STATES})

    category: Mapped[CampaignCategory] = relationship()
    budget_lines: Mapped[list[CampaignBudgetLine]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan",
        order_by="CampaignBudgetLine.id", info={"label": _l("Budget")})

    def compute(self) -> None:
        """The budget is the sum of the budget lines."""
        self.budget_total = sum((line.amount or Decimal("0") for line in self.budget_lines),
                                Decimal("0"))


class CampaignBudgetLine(Model):
    """A planned cost of a campaign by cost type."""

    __tablename__ = "crm_marketing_budget_line"
    __label__ = _l("Budget line")
    __display__ = "description"

    campaign_id: Mapped[int] = ref(Campaign, ondelete="CASCADE", label=_l("Campaign"))
    cost_type_id: Mapped[int] = ref(CampaignCostType, label=_l("Cost type"))
    amount: Mapped[Decimal] = mapped_column(info={"label": _l("Amount")})
    description: Mapped[str | None] = mapped_column(sa.String(255),
                                                    info={"label": _l("Description")})

    campaign: Mapped[Campaign] = relationship(back_populates="budget_lines")


class CampaignParticipant(Model):
    """Somebody registered for a campaign (报名), and whether they came (签到)."""

    __tablename__ = "crm_marketing_participant"
    __label__ = _l("Participant")
    __table_args__ = (sa.Index("ix_crm_marketing_participant_campaign", "campaign_id", "id"),)

    campaign_id: Mapped[int] = ref(Campaign, ondelete="CASCADE", index=False,
                                   label=_l("Campaign"))
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, ondelete="SET NULL",
                                          label=_l("Customer"))
    contact_id: Mapped[int | None] = ref(Contact, nullable=True, ondelete="SET NULL",
                                         label=_l("Contact"))
    company: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("Company")})
    phone: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Phone")})
    checked_in: Mapped[bool] = mapped_column(default=False, server_default=sa.false(),
                                             info={"label": _l("Checked in")})
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(
        info={"label": _l("Checked in at")})

    campaign: Mapped[Campaign] = relationship()


class CampaignCloseout(Model):
    """The close-out of a campaign (活动结案单): actual costs, results, attendance, photos."""

    __tablename__ = "crm_marketing_closeout"
    __label__ = _l("Campaign close-out")
    __display__ = "title"
    __owner__ = "organizer_id"
    __department__ = "department_id"
    __tracked__ = ("state", "total")
    __attachments__ = True
    __table_args__ = (sa.UniqueConstraint("campaign_id"),)

    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    campaign_id: Mapped[int] = ref(Campaign, index=False, label=_l("Campaign"))
    results: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Results")})
    attendance: Mapped[int] = mapped_column(default=0, server_default="0",
                                            info={"label": _l("Attendance")})
    total: Mapped[Decimal] = mapped_column(default=Decimal("0"), server_default="0",
                                           info={"label": _l("Actual cost")})
    # Copied from the campaign, so the record rules and the approval chain read them.
    organizer_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                           label=_l("Organizer"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    state: Mapped[str] = mapped_column(
        sa.String(16), default=DRAFT, server_default=DRAFT, index=True,
        info={"label": _l("State"), "choices": CLOSEOUT_STATES})

    campaign: Mapped[Campaign] = relationship()
    lines: Mapped[list[CampaignCostLine]] = relationship(
        back_populates="closeout", cascade="all, delete-orphan",
        order_by="CampaignCostLine.id", info={"label": _l("Actual costs")})

    def compute(self) -> None:
        """The actual cost is the sum of the cost lines."""
        self.total = sum((line.amount or Decimal("0") for line in self.lines), Decimal("0"))


class CampaignCostLine(Model):
    """An actual cost of a campaign, with its receipt attached (实际费用)."""

    __tablename__ = "crm_marketing_cost_line"
    __label__ = _l("Actual cost line")
    __display__ = "description"
    __attachments__ = True

    closeout_id: Mapped[int] = ref(CampaignCloseout, ondelete="CASCADE",
                                   label=_l("Campaign close-out"))
    cost_type_id: Mapped[int] = ref(CampaignCostType, label=_l("Cost type"))
    date: Mapped[dt.date | None] = mapped_column(info={"label": _l("Date")})
    amount: Mapped[Decimal] = mapped_column(info={"label": _l("Amount")})
    description: Mapped[str | None] = mapped_column(sa.String(255),
                                                    info={"label": _l("Description")})

    closeout: Mapped[CampaignCloseout] = relationship(back_populates="lines")
