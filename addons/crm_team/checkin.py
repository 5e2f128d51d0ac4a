"""Check-in and check-out at a customer (移动拜访), from a phone or the API.

The phone sends what its browser's geolocation gave: a position with its
accuracy, or that the position was refused or unavailable. The distance to the
customer's stored position is kept, and flagged beyond the division's limit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_team.geo import distance_m, valid_position
from addons.crm_team.models import CANCELLED, DONE, PLANNED, TeamSetting, Visit
from core.context import Actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.orm import utcnow

DEFAULT_LIMIT_M = 500


def checkin_limit(session: Session, division_id: int) -> int:
    """The division's check-in distance limit in metres."""
    with system_context():
        limit = session.scalar(sa.select(TeamSetting.checkin_limit)
                               .where(TeamSetting.division_id == division_id))
    return int(limit) if limit else DEFAULT_LIMIT_M


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_in(session: Session, visit: Visit, *, latitude: Any = None, longitude: Any = None,
             accuracy: Any = None, position: str | None = None,
             now: dt.datetime | None = None) -> Visit:
    """Record the arrival at the visit's customer: time, position, distance."""
    if visit.checkin_at is not None:
        raise ValidationError(_("This visit is checked in already."))
    if visit.state == CANCELLED:
        raise ValidationError(_("A cancelled visit cannot be checked in."))
    lat, lon = _number(latitude), _number(longitude)
    visit.checkin_at = now or utcnow()
    if valid_position(lat, lon):
        visit.checkin_position = "granted"
        visit.checkin_latitude, visit.checkin_longitude = lat, lon
        acc = _number(accuracy)
        visit.checkin_accuracy = round(acc) if acc is not None else None
        _measure(session, visit)
    else:
        visit.checkin_position = position if position in ("denied", "unavailable") else "unavailable"
    if visit.state != DONE:
        visit.state = PLANNED
    return visit


def _measure(session: Session, visit: Visit) -> None:
    with system_context():
        customer = session.get(Customer, visit.customer_id)
    lat, lon = getattr(customer, "latitude", None), getattr(customer, "longitude", None)
    if customer is None or not valid_position(lat, lon):
        visit.checkin_distance, visit.checkin_far = None, False
        return
    assert visit.checkin_latitude is not None and visit.checkin_longitude is not None
    visit.checkin_distance = distance_m(visit.checkin_latitude, visit.checkin_longitude, lat, lon)
    visit.checkin_far = visit.checkin_distance > checkin_limit(session, visit.division_id)


def check_out(session: Session, visit: Visit, *, now: dt.datetime | None = None) -> Visit:
    """Leave the customer: the visit is done, its duration counted from the check-in."""
    if visit.state == CANCELLED:
        raise ValidationError(_("A cancelled visit cannot be checked out."))
    if visit.checkout_at is not None:
        raise ValidationError(_("This visit is checked out already."))
    visit.checkout_at = now or utcnow()
    visit.state = DONE
    if visit.visited_on is None or visit.checkin_at is None:
        visit.visited_on = visit.visited_on or visit.checkout_at.date()
    return visit


def check_in_action(session: Session, visit: Visit, actor: Actor, values: dict[str, Any]) -> str:
    """RecordAction handler: POST /api/v1/crm_visit/<id>/actions/check_in."""
    check_in(session, visit, latitude=values.get("latitude"), longitude=values.get("longitude"),
             accuracy=values.get("accuracy"), position=values.get("position"))
    if visit.checkin_far:
        return _("Checked in, {distance} m from the customer: beyond the limit.").format(
            distance=visit.checkin_distance)
    return _("Checked in.")


def check_out_action(session: Session, visit: Visit, actor: Actor, values: dict[str, Any]) -> str:
    """RecordAction handler: POST /api/v1/crm_visit/<id>/actions/check_out."""
    check_out(session, visit)
    session.flush()
    return _("Checked out after {minutes} minutes.").format(minutes=visit.duration_minutes or 0)


def cancel_action(session: Session, visit: Visit, actor: Actor, values: dict[str, Any]) -> str:
    """RecordAction handler: a planned visit that will not happen."""
    if visit.state != PLANNED or visit.checkin_at is not None:
        raise ValidationError(_("Only a planned visit without check-in can be cancelled."))
    visit.state = CANCELLED
    return _("Visit cancelled.")


def can_check_in(visit: Visit) -> bool:
    return visit.state == PLANNED and visit.checkin_at is None


def can_check_out(visit: Visit) -> bool:
    return visit.state == PLANNED and visit.checkin_at is not None and visit.checkout_at is None
