"""Who may do what with routes, plans, visits, work reports and travel requests (#17).

Reps own theirs; sales managers see and comment on those of the departments
they manage (and their regions' visits); the general manager and the back
office see the division's (finance: the trips too, which claims are charged to).
Contacts met, route stops and a trip's customers follow their parent.
"""

from __future__ import annotations

from addons.crm_team.models import (
    Plan,
    Route,
    RouteStop,
    TeamSetting,
    Trip,
    TripStop,
    Visit,
    VisitContact,
    WorkReport,
)
from core.access import DEPARTMENT, DIVISION, OWN, REGIONS, Access, RecordRule
from core.org import (
    ADMIN,
    ALL_STAFF,
    FINANCE,
    GENERAL_MANAGER,
    MARKETING,
    SALES_MANAGER,
    SALES_REP,
    SERVICE,
)

SALES = (SALES_REP, SALES_MANAGER)
BACK_OFFICE = (MARKETING, FINANCE, SERVICE)
OWNED = (Visit, VisitContact, Route, RouteStop, Plan, WorkReport, Trip, TripStop)

ACCESS = [
    Access(TeamSetting, ALL_STAFF, read=True),
    Access(TeamSetting, ADMIN, read=True, create=True, write=True),
    *[Access(model, SALES, read=True, create=True, write=True, delete=True) for model in OWNED],
    *[Access(model, GENERAL_MANAGER, read=True, write=True)
      for model in (Plan, WorkReport, Trip, TripStop)],
    *[Access(model, FINANCE, read=True) for model in (Trip, TripStop)],
    *[Access(model, (GENERAL_MANAGER, *BACK_OFFICE), read=True)
      for model in (Visit, VisitContact, Route, RouteStop)],
]

RULES = [
    *[RecordRule(model, SALES_REP, OWN) for model in OWNED],
    *[RecordRule(model, SALES_MANAGER, DEPARTMENT) for model in OWNED],
    RecordRule(Visit, SALES_MANAGER, REGIONS),
    *[RecordRule(model, GENERAL_MANAGER, DIVISION) for model in OWNED],
    *[RecordRule(model, BACK_OFFICE, DIVISION) for model in (Visit, VisitContact)],
    *[RecordRule(model, FINANCE, DIVISION) for model in (Trip, TripStop)],
    RecordRule(TeamSetting, ALL_STAFF, DIVISION),
]
