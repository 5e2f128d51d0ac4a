"""What the bridge adds: the trip an expense claim is for, and the trip's actual cost.

`TripExpense.actual_cost` is kept by the bridge, never typed in: the total of the
trip's claims that are submitted, approved or paid, summed by the database
(`costs.refresh_actual`) whenever one of them changes state.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_expense.models import ExpenseClaim
from addons.crm_team.models import Trip
from core.i18n import _l
from core.orm import extends, ref


@extends(ExpenseClaim)
class ExpenseClaimTrip:
    """The travel request a claim is for (出差报销)."""

    trip_id: Mapped[int | None] = ref(Trip, nullable=True, ondelete="SET NULL",
                                      label=_l("Travel request"))


@extends(Trip)
class TripExpense:
    """What a trip has cost so far: its claims in approval or approved (实际费用)."""

    actual_cost: Mapped[Decimal | None] = mapped_column(info={"label": _l("Actual cost")})


MODELS = [ExpenseClaimTrip, TripExpense]
