"""Visits (拜访记录): planned, checked in on a phone, recorded and checked out.

The one visit model of Kehu. crm_funnel created the table `crm_visit`; crm_team
took it over (#17) with its rows, and crm_funnel, which depends on crm_team,
adds the opportunity a visit was for (`VisitDeal` there).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import DECISION_ROLES, Contact, Customer
from core.i18n import _l
from core.orm import Model, extends, ref

VISIT_KINDS = [("visit", _l("Visit")), ("meeting", _l("Meeting")), ("call", _l("Call"))]
PLANNED, DONE, CANCELLED = "planned", "done", "cancelled"
VISIT_STATES = [(PLANNED, _l("Planned")), (DONE, _l("Done")), (CANCELLED, _l("Cancelled"))]
POSITION_STATES = [("granted", _l("Position taken")), ("denied", _l("Position refused")),
                   ("unavailable", _l("No position available"))]


class Visit(Model):
    """A rep's visit, meeting or call (拜访记录): planned, checked in, recorded, checked out."""

    __tablename__ = "crm_visit"
    __label__ = _l("Visit")
    __display__ = "summary"
    __owner__ = "owner_id"
    __region__ = "region_id"
    __department__ = "department_id"
    __attachments__ = True
    __table_args__ = (sa.Index("ix_crm_visit_owner_day", "owner_id", "visited_on"),)

    visited_on: Mapped[dt.date] = mapped_column(default=dt.date.today,
                                                info={"label": _l("Date")})
    kind: Mapped[str] = mapped_column(sa.String(8), default="visit",
                                      info={"label": _l("Kind"), "choices": VISIT_KINDS})
    customer_id: Mapped[int] = ref(Customer, label=_l("Customer"))
    contact_id: Mapped[int | None] = ref(Contact, nullable=True, ondelete="SET NULL",
                                         label=_l("Contact"))
    summary: Mapped[str] = mapped_column(sa.String(255), default="",
                                         info={"label": _l("Summary")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       index=False, label=_l("Rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))

    # crm_team (#17): plan, check-in, the visit's record, check-out.
    state: Mapped[str] = mapped_column(
        sa.String(12), default=DONE, server_default=DONE, index=True,
        info={"label": _l("State"), "choices": VISIT_STATES})
    plan_id: Mapped[int | None] = ref("crm_team_plan", nullable=True, ondelete="SET NULL",
                                      label=_l("Weekly plan"))
    route_id: Mapped[int | None] = ref("crm_team_route", nullable=True, ondelete="SET NULL",
                                       index=False, label=_l("Route"))
    sequence: Mapped[int] = mapped_column(default=0, server_default="0",
                                          info={"label": _l("Order in the day")})
    purpose: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Purpose")})
    result: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Result")})
    next_step: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Next step")})
    checkin_at: Mapped[dt.datetime | None] = mapped_column(
        info={"label": _l("Checked in at (UTC)")})
    checkin_position: Mapped[str | None] = mapped_column(
        sa.String(12), info={"label": _l("Position"), "choices": POSITION_STATES})
    checkin_latitude: Mapped[float | None] = mapped_column(
        sa.Float, info={"label": _l("Latitude")})
    checkin_longitude: Mapped[float | None] = mapped_column(
        sa.Float, info={"label": _l("Longitude")})
    checkin_accuracy: Mapped[int | None] = mapped_column(
        sa.Integer, info={"label": _l("Accuracy (m)")})
    checkin_distance: Mapped[int | None] = mapped_column(
        sa.Integer, info={"label": _l("Distance to the customer (m)")})
    checkin_far: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(), info={"label": _l("Far from the customer")})
    checkout_at: Mapped[dt.datetime | None] = mapped_column(
        info={"label": _l("Checked out at (UTC)")})
    duration_minutes: Mapped[int | None] = mapped_column(
        sa.Integer, info={"label": _l("Duration (minutes)")})
    # Kept at save time so reports count with a plain column (#17).
    without_checkin: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(), info={"label": _l("Without check-in")})
    met_decision_maker: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(),
        info={"label": _l("Met a decision maker")})

    people: Mapped[list[VisitContact]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitContact.id")


class VisitContact(Model):
    """A person met during a visit, with their part in the buying decision then."""

    __tablename__ = "crm_team_visit_contact"
    __label__ = _l("Person met")
    __display__ = "name"
    __owner__ = "owner_id"
    __department__ = "department_id"

    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_visit.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Visit")})
    contact_id: Mapped[int | None] = ref(Contact, nullable=True, ondelete="SET NULL",
                                         label=_l("Contact"))
    name: Mapped[str] = mapped_column(sa.String(64), default="", info={"label": _l("Name")})
    decision_role: Mapped[str | None] = mapped_column(
        sa.String(16), info={"label": _l("Role in the decision"), "choices": DECISION_ROLES})
    # Copied from the visit, for the record rules.
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       index=False, label=_l("Rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True, index=False,
                                            label=_l("Department"))

    visit: Mapped[Visit] = relationship(back_populates="people")


@extends(Customer)
class CustomerPosition:
    """Where a customer is, for the distance check at check-in (#17)."""

    latitude: Mapped[float | None] = mapped_column(sa.Float, info={"label": _l("Latitude")})
    longitude: Mapped[float | None] = mapped_column(sa.Float, info={"label": _l("Longitude")})
