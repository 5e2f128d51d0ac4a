"""crm_team's models: visits, routes, weekly plans, work reports, settings."""

from __future__ import annotations

from addons.crm_team.models.planning import (
    PLAN_STATES,
    WEEKDAYS,
    Plan,
    Route,
    RouteStop,
    TeamSetting,
)
from addons.crm_team.models.trip import TRIP_STATES, Trip, TripStop
from addons.crm_team.models.visit import (
    CANCELLED,
    DONE,
    PLANNED,
    VISIT_KINDS,
    CustomerPosition,
    Visit,
    VisitContact,
)
from addons.crm_team.models.work_report import REPORT_KINDS, WorkReport

MODELS: list[type] = [TeamSetting, Visit, VisitContact, Route, RouteStop, Plan, WorkReport, Trip,
                      TripStop]

__all__ = ["CANCELLED", "DONE", "MODELS", "PLANNED", "PLAN_STATES", "REPORT_KINDS", "TRIP_STATES",
           "VISIT_KINDS", "WEEKDAYS", "CustomerPosition", "Plan", "Route", "RouteStop",
           "TeamSetting", "Trip", "TripStop", "Visit", "VisitContact", "WorkReport"]
