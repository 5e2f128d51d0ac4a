"""Budget against actual: a trip's claims, summed in SQL, and the checks on the link."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_expense.models import ExpenseClaim
from addons.crm_team.models import Trip
from core.context import current_actor, system_context
from core.errors import ValidationError
from core.i18n import _

# Claims that count against a trip's budget: in approval, approved, paid (#17).
COUNTED = ("submitted", "approved", "paid")
# A trip takes claims once approved (a cancelled trip keeps those it had).
OPEN_FOR_CLAIMS = ("approved",)


def actual_of(trip_id: Any) -> sa.ScalarSelect[Any]:
    """The total of the counted claims of the trip `trip_id` (a column or an id), 0 if none."""
    claim: Any = ExpenseClaim
    return sa.select(sa.func.coalesce(sa.func.sum(ExpenseClaim.total), 0)).where(
        claim.trip_id == trip_id, ExpenseClaim.state.in_(COUNTED)).scalar_subquery()


def refresh_actual(session: Session, trip_ids: Iterable[int]) -> None:
    """Write each trip's actual cost from its claims, in one UPDATE."""
    ids = sorted({trip_id for trip_id in trip_ids if trip_id is not None})
    if not ids:
        return
    with system_context():
        session.flush()
        session.execute(sa.update(Trip).where(Trip.id.in_(ids)).values(
            actual_cost=actual_of(Trip.id)).execution_options(synchronize_session=False))
        for record in session.identity_map.values():
            if isinstance(record, Trip) and record.id in ids:
                session.expire(record, ["actual_cost"])


def check_claim(session: Session, claim: ExpenseClaim) -> None:
    """A claim names a trip of its claimant that was approved (bad input names `trip_id`)."""
    trip_id = getattr(claim, "trip_id", None)
    if trip_id is None or not _link_changed(claim):
        return
    with system_context(), session.no_autoflush:
        trip = session.get(Trip, trip_id)
    claimant = claim.claimant_id or current_actor().user_id
    elsewhere = claim.division_id is not None and trip is not None \
        and trip.division_id != claim.division_id
    if trip is None or elsewhere:
        message = _("This travel request does not exist.")
        raise ValidationError(message, fields={"trip_id": message})
    if trip.owner_id != claimant:
        message = _("Charge the claim to a trip of its claimant.")
        raise ValidationError(message, fields={"trip_id": message})
    if trip.state not in OPEN_FOR_CLAIMS:
        message = _("Only an approved travel request takes expense claims.")
        raise ValidationError(message, fields={"trip_id": message})


def _link_changed(claim: ExpenseClaim) -> bool:
    state = sa.inspect(claim)
    if state.transient or state.pending:
        return True
    history = state.attrs.trip_id.history
    return bool(history.added or history.deleted) or bool(state.attrs.claimant_id.history.added)


def keep_actual(session: Session, trip: Trip) -> None:
    """A trip's actual cost is its claims' total (read in SQL): a value typed in a form
    that differs is refused at the field, and the total is written back."""
    extended: Any = trip  # TripExpense's column
    if trip.id is None:
        total = Decimal("0.00")
    else:
        with system_context(), session.no_autoflush:
            total = session.scalar(sa.select(actual_of(trip.id))) or Decimal("0.00")
    typed = sa.inspect(trip).attrs.actual_cost.history.added
    if typed and typed[0] is not None and Decimal(typed[0]) != total:
        message = _("The actual cost is the total of the trip's expense claims; it cannot be "
                    "typed in.")
        raise ValidationError(message, fields={"actual_cost": message})
    extended.actual_cost = total
