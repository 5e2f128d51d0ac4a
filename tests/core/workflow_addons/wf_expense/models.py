"""The expense note."""

from __future__ import annotations

import decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.i18n import _l
from core.orm import Model, ref


class ExpenseNote(Model):
    """A claim for money spent (报销单), approved before it is paid."""

    __tablename__ = "wf_expense_note"
    __label__ = _l("Expense note")
    __display__ = "title"

    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    amount: Mapped[decimal.Decimal] = mapped_column(info={"label": _l("Amount")})
    state: Mapped[str] = mapped_column(sa.String(32), default="draft",
                                       info={"label": _l("State")})
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(255),
                                                      info={"label": _l("Why cancelled")})
    lines: Mapped[list[ExpenseNoteLine]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="ExpenseNoteLine.id")

    def compute(self) -> None:
        """With lines, the amount is their total."""
        if self.lines:
            self.amount = sum((line.amount for line in self.lines), decimal.Decimal(0))


class ExpenseNoteLine(Model):
    """One receipt of an expense note."""

    __tablename__ = "wf_expense_note_line"
    __label__ = _l("Expense line")
    __display__ = "description"

    note_id: Mapped[int] = ref("wf_expense_note", ondelete="CASCADE", label=_l("Expense note"))
    description: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Description")})
    amount: Mapped[decimal.Decimal] = mapped_column(info={"label": _l("Amount")})
    payee_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Paid to"))
    note: Mapped[ExpenseNote] = relationship(back_populates="lines")
