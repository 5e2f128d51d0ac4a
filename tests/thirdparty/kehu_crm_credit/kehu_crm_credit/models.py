"""Fields crm_credit adds to crm_customer's Customer."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Customer
from core.orm import extends


@extends(Customer)
class CustomerCredit:
    """Credit terms that crm_credit adds to every customer."""

    credit_limit: Mapped[Decimal | None] = mapped_column()
    credit_days: Mapped[int] = mapped_column(default=30)
