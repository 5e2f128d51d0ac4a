"""Travel requests (出差申请): where a rep goes, when, why, whom to see, what it will cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import Customer
from core.i18n import _l
from core.orm import Model, ref

TRIP_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
               ("approved", _l("Approved")), ("cancelled", _l("Cancelled"))]


class Trip(Model):
    """A rep's travel request, approved through the division's chain before the trip."""

    __tablename__ = "crm_team_trip"
    __label__ = _l("Travel request")
    __display__ = "destination"
    __owner__ = "owner_id"
    __department__ = "department_id"
    __tracked__ = ("estimated_cost", "date_from", "date_to")
    __table_args__ = (sa.Index("ix_crm_team_trip_dates", "date_from", "id"),)

    destination: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Destination")})
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("From")})
    date_to: Mapped[dt.date] = mapped_column(info={"label": _l("To")})
    purpose: Mapped[str] = mapped_column(sa.Text, info={"label": _l("Reason for the trip")})
    estimated_cost: Mapped[Decimal] = mapped_column(
        default=Decimal("0"), server_default="0", info={"label": _l("Estimated cost")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Traveller"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})
    state: Mapped[str] = mapped_column(
        sa.String(12), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": TRIP_STATES})

    stops: Mapped[list[TripStop]] = relationship(
        back_populates="trip", cascade="all, delete-orphan",
        order_by="TripStop.planned_on, TripStop.id")


class TripStop(Model):
    """A customer to visit on a trip, on a planned day."""

    __tablename__ = "crm_team_trip_stop"
    __label__ = _l("Customer to visit")
    __display__ = "purpose"
    __owner__ = "owner_id"
    __department__ = "department_id"

    trip_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_team_trip.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Travel request")})
    customer_id: Mapped[int] = ref(Customer, label=_l("Customer"))
    planned_on: Mapped[dt.date | None] = mapped_column(info={"label": _l("Day")})
    purpose: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Purpose")})
    # Copied from the trip, for the record rules.
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       index=False, label=_l("Traveller"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True, index=False,
                                            label=_l("Department"))

    trip: Mapped[Trip] = relationship(back_populates="stops")
