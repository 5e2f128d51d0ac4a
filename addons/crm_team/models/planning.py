"""Routes (拜访路线) and weekly visit plans (拜访计划), and the division's team settings."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import Customer
from addons.crm_team.models.visit import Visit
from core.i18n import _l
from core.orm import Model, ref

WEEKDAYS = [("1", _l("Monday")), ("2", _l("Tuesday")), ("3", _l("Wednesday")),
            ("4", _l("Thursday")), ("5", _l("Friday")), ("6", _l("Saturday")),
            ("7", _l("Sunday"))]
PLAN_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
               ("reviewed", _l("Reviewed"))]


class TeamSetting(Model):
    """A division's rules for visits on the road (one row per division)."""

    __tablename__ = "crm_team_setting"
    __label__ = _l("Visit settings")
    __display__ = "checkin_limit"
    __table_args__ = (sa.UniqueConstraint("division_id"),)

    checkin_limit: Mapped[int] = mapped_column(
        default=500, server_default="500",
        info={"label": _l("Check-in distance limit (m)")})
    coverage_weeks: Mapped[int] = mapped_column(
        default=4, server_default="4",
        info={"label": _l("Coverage cycle (weeks)")})


class Route(Model):
    """A rep's recurring route: customers in order, on a weekday, every N weeks."""

    __tablename__ = "crm_team_route"
    __label__ = _l("Route")
    __display__ = "name"
    __owner__ = "owner_id"
    __department__ = "department_id"

    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    weekday: Mapped[str] = mapped_column(
        sa.String(1), default="1", info={"label": _l("Weekday"), "choices": WEEKDAYS})
    every_weeks: Mapped[int] = mapped_column(
        default=1, server_default="1", info={"label": _l("Every N weeks")})
    first_week: Mapped[dt.date | None] = mapped_column(
        info={"label": _l("Starting from")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})
    note: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Note")})

    stops: Mapped[list[RouteStop]] = relationship(
        back_populates="route", cascade="all, delete-orphan",
        order_by="RouteStop.sequence, RouteStop.id")

    def runs_in(self, week_start: dt.date) -> bool:
        """Whether the route falls in the week that starts on `week_start` (a Monday)."""
        if not self.active:
            return False
        first = self.first_week or week_start
        first = first - dt.timedelta(days=first.weekday())
        weeks = (week_start - first).days // 7
        return weeks >= 0 and weeks % max(self.every_weeks or 1, 1) == 0


class RouteStop(Model):
    """One customer on a route, in its place of the itinerary."""

    __tablename__ = "crm_team_route_stop"
    __label__ = _l("Route stop")
    __display__ = "note"
    __owner__ = "owner_id"
    __department__ = "department_id"

    route_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_team_route.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Route")})
    sequence: Mapped[int] = mapped_column(default=10, info={"label": _l("Order")})
    customer_id: Mapped[int] = ref(Customer, label=_l("Customer"))
    purpose: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Purpose")})
    note: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Note")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       index=False, label=_l("Rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True, index=False,
                                            label=_l("Department"))

    route: Mapped[Route] = relationship(back_populates="stops")


class Plan(Model):
    """A rep's visit plan for one week (周拜访计划), sent to the manager for comment."""

    __tablename__ = "crm_team_plan"
    __label__ = _l("Weekly plan")
    __display__ = "week_start"
    __owner__ = "owner_id"
    __department__ = "department_id"
    __table_args__ = (sa.UniqueConstraint("owner_id", "week_start"),)

    week_start: Mapped[dt.date] = mapped_column(info={"label": _l("Week of")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Plan notes")})
    manager_comment: Mapped[str | None] = mapped_column(
        sa.Text, info={"label": _l("Manager's comment")})
    state: Mapped[str] = mapped_column(
        sa.String(12), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": PLAN_STATES})
    planned_count: Mapped[int] = mapped_column(default=0, server_default="0",
                                               info={"label": _l("Planned visits")})

    visits: Mapped[list[Visit]] = relationship(
        order_by="Visit.visited_on, Visit.sequence, Visit.id", cascade="all, delete-orphan")
