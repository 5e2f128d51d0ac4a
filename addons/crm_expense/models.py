"""Expense types, requests (budgets), reimbursement claims with lines, incentive accruals.

crm_expense depends on crm_customer alone. The deal (opportunity) an expense is
for is the bridge crm_expense_funnel's: it adds `opportunity_id` to requests and
claim lines as a real reference. Campaigns (crm_marketing) are named by a plain
integer id (`campaign_id`), whose model comes through the `kehu_extra_expense_links`
hook (see links.py), so this addon works whether or not those addons are installed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import Customer
from core.i18n import _l
from core.orm import Model, ref

BUDGET_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                 ("approved", _l("Approved")), ("closed", _l("Closed"))]
CLAIM_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                ("approved", _l("Approved")), ("paid", _l("Paid"))]
ACCRUAL_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                  ("approved", _l("Approved"))]
ACCRUAL_BASES = [("rep", _l("Sales rep")), ("distributor", _l("Distributor"))]


class ExpenseType(Model):
    """A kind of expense (费用类型): travel, entertainment, gifts... with an optional limit."""

    __tablename__ = "crm_expense_type"
    __lookup__ = True
    __label__ = _l("Expense type")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    limit_amount: Mapped[Decimal | None] = mapped_column(
        info={"label": _l("Limit per line")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class ExpenseBudget(Model):
    """An expense request (费用申请): money planned for a customer, project or campaign."""

    __tablename__ = "crm_expense_budget"
    __label__ = _l("Expense request")
    __display__ = "purpose"
    __owner__ = "requester_id"
    __department__ = "department_id"
    __tracked__ = ("amount", "requester_id")

    purpose: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Purpose")})
    amount: Mapped[Decimal] = mapped_column(info={"label": _l("Amount")})
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("Period from")})
    date_to: Mapped[dt.date] = mapped_column(info={"label": _l("Period to")})
    type_id: Mapped[int | None] = ref(ExpenseType, nullable=True, label=_l("Expense type"))
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Customer"))
    campaign_id: Mapped[int | None] = mapped_column(
        sa.Integer, index=True, info={"label": _l("Campaign"), "link": "campaign"})
    requester_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                           label=_l("Requested by"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": BUDGET_STATES})



class ExpenseClaim(Model):
    """A reimbursement claim (费用报销单): a header and its lines, approved, then paid."""

    __tablename__ = "crm_expense_claim"
    __label__ = _l("Expense claim")
    __display__ = "title"
    __owner__ = "claimant_id"
    __department__ = "department_id"
    __tracked__ = ("total",)
    __attachments__ = True

    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    claimant_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                          label=_l("Claimant"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("Period from")})
    date_to: Mapped[dt.date] = mapped_column(info={"label": _l("Period to")})
    total: Mapped[Decimal] = mapped_column(default=Decimal("0"), server_default="0",
                                           info={"label": _l("Total")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": CLAIM_STATES})

    lines: Mapped[list[ExpenseClaimLine]] = relationship(
        back_populates="claim", cascade="all, delete-orphan",
        order_by="ExpenseClaimLine.date, ExpenseClaimLine.id")

    def compute(self) -> None:
        """The total of the lines; each line carries the claim's claimant and department.

        The checks (type limits, budgets, periods, links) run before every flush
        (addons/crm_expense/rules.py), whichever way the claim was changed.
        """
        self.total = sum((line.amount or Decimal("0") for line in self.lines), Decimal("0"))
        for line in self.lines:
            line.claimant_id = self.claimant_id
            line.department_id = self.department_id
            if self.division_id is not None:
                line.division_id = self.division_id


class ExpenseClaimLine(Model):
    """One expense of a claim: when, what kind, how much, for which customer or campaign
    (and deal, with crm_expense_funnel)."""

    __tablename__ = "crm_expense_claim_line"
    __label__ = _l("Expense line")
    __display__ = "description"
    # Copied from the claim, so reports group lines by rep and department in one query
    # and the record rules read them directly.
    __owner__ = "claimant_id"
    __department__ = "department_id"
    __attachments__ = True

    claim_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_expense_claim.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Expense claim")})
    date: Mapped[dt.date] = mapped_column(info={"label": _l("Date")})
    type_id: Mapped[int] = ref(ExpenseType, label=_l("Expense type"))
    amount: Mapped[Decimal] = mapped_column(info={"label": _l("Amount")})
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Customer"))
    campaign_id: Mapped[int | None] = mapped_column(
        sa.Integer, index=True, info={"label": _l("Campaign"), "link": "campaign"})
    budget_id: Mapped[int | None] = ref(ExpenseBudget, nullable=True,
                                        label=_l("Expense request"))
    description: Mapped[str] = mapped_column(sa.String(255), info={"label": _l("Description")})
    justification: Mapped[str | None] = mapped_column(sa.String(500),
                                                      info={"label": _l("Justification")})
    claimant_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                          label=_l("Claimant"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))

    claim: Mapped[ExpenseClaim] = relationship(back_populates="lines")


class AccrualScheme(Model):
    """An incentive accrual scheme (费用计提方案): a share of won contract amounts."""

    __tablename__ = "crm_expense_accrual_scheme"
    __label__ = _l("Accrual scheme")

    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    basis: Mapped[str] = mapped_column(
        sa.String(16), default="rep", server_default="rep",
        info={"label": _l("Accrue per"), "choices": ACCRUAL_BASES})
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4), info={"label": _l("Rate (%)")})
    type_id: Mapped[int | None] = ref(ExpenseType, nullable=True, label=_l("Expense type"))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class Accrual(Model):
    """An accrued expense (费用计提) of one rep or distributor for one period."""

    __tablename__ = "crm_expense_accrual"
    __label__ = _l("Accrual")
    __display__ = "period"
    __owner__ = "user_id"
    __table_args__ = (sa.UniqueConstraint("scheme_id", "period", "user_id", "customer_id"),)

    scheme_id: Mapped[int] = ref(AccrualScheme, label=_l("Accrual scheme"))
    period: Mapped[str] = mapped_column(sa.String(7), info={"label": _l("Period")})  # 2026-11
    # The rep of a per-rep accrual; a per-distributor accrual belongs to whoever ran it.
    user_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                      label=_l("Owner"))
    customer_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Distributor"))
    base_amount: Mapped[Decimal] = mapped_column(info={"label": _l("Won contract amount")})
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4), info={"label": _l("Rate (%)")})
    amount: Mapped[Decimal] = mapped_column(info={"label": _l("Accrued amount")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": ACCRUAL_STATES})


MODELS: list[type[Any]] = [ExpenseType, ExpenseBudget, ExpenseClaim, ExpenseClaimLine,
                           AccrualScheme, Accrual]
