"""Demo for the bridge: every trip approved last month gets its expenses.

Runs after crm_team's and crm_expense's demo (dependency order). A rep's demo
claim (submitted, approved or paid) whose period covers the trip and whose title
names its destination is charged to it; a trip left without one gets a claim of
its traveller, filed and submitted through the workflow. Then each trip's actual
cost is summed in SQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_expense.models import ExpenseClaim, ExpenseClaimLine, ExpenseType
from addons.crm_team.models import Trip
from addons.crm_team_expense.costs import COUNTED, refresh_actual
from core.context import acting_as
from core.lookups import usable_in
from core.models import Division, User
from core.org import actor_for
from core.workflow import fire


def link_demo_claims(session: Session, divisions: list[Division]) -> None:
    """Charge the demo claims to the demo trips (see the module docstring)."""
    claim: Any = ExpenseClaim
    if not divisions or session.scalar(sa.select(ExpenseClaim.id).where(
            claim.trip_id.is_not(None)).limit(1)) is not None:
        return  # no demo division, or done already
    trips = list(session.scalars(sa.select(Trip).where(
        Trip.division_id == divisions[0].id, Trip.state == "approved").order_by(Trip.id)))
    for trip in trips:
        found = session.scalar(sa.select(ExpenseClaim.id).where(
            ExpenseClaim.claimant_id == trip.owner_id, ExpenseClaim.state.in_(COUNTED),
            ExpenseClaim.date_from <= trip.date_to, ExpenseClaim.date_to >= trip.date_from,
            ExpenseClaim.title.contains(trip.destination), claim.trip_id.is_(None)).order_by(ExpenseClaim.id).limit(1))
        if found is not None:
            # The claim is locked in approval: linked by the system, in SQL.
            table: Any = ExpenseClaim.__table__
            session.execute(sa.update(table).where(table.c.id == found).values(trip_id=trip.id))
        else:
            _file_claim(session, trip)
    refresh_actual(session, [trip.id for trip in trips])


def _file_claim(session: Session, trip: Trip) -> None:
    """The traveller's claim for the trip: fares and a hotel, a little under the estimate."""
    traveller = session.get(User, trip.owner_id) if trip.owner_id else None
    types = dict(session.execute(sa.select(ExpenseType.code, ExpenseType.id).where(
        usable_in(ExpenseType, trip.division_id))).all())
    if traveller is None or "travel" not in types:
        return
    fares = (trip.estimated_cost * Decimal("0.55")).quantize(Decimal("0.01"))
    hotel = (trip.estimated_cost * Decimal("0.3")).quantize(Decimal("0.01"))
    with acting_as(actor_for(session, traveller)):
        claim = ExpenseClaim(title=f"{trip.destination}出差报销", date_from=trip.date_from,
                             date_to=trip.date_to, division_id=trip.division_id)
        claim.trip_id = trip.id  # type: ignore[attr-defined]
        claim.lines = [
            ExpenseClaimLine(date=trip.date_from, type_id=types["travel"], amount=fares,
                             description=f"往返{trip.destination}交通"),
            ExpenseClaimLine(date=trip.date_from + dt.timedelta(days=1), type_id=types["travel"],
                             amount=hotel, description="住宿"),
        ]
        session.add(claim)
        session.flush()
        fire(session, claim, "submit")
