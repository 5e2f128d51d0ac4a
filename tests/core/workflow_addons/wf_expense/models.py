"""The expense note."""

from __future__ import annotations

import decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.orm import Model


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
