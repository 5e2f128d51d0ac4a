"""Lists, forms, tabs, actions and menus of crm_team (visits, routes, plans, work reports)."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_customer.views import customer_form
from addons.crm_team import checkin, planning, work_reports
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
from core.context import Actor
from core.i18n import _l
from core.navigation import Menu
from core.org import ADMIN
from core.views import (
    Filter,
    FormView,
    KanbanView,
    Lines,
    ListView,
    Param,
    RecordAction,
    RecordLink,
    RelatedList,
    Section,
    View,
    extend_view,
)

POSITIONS = [("granted", _l("Position taken")), ("denied", _l("Position refused")),
             ("unavailable", _l("No position available"))]
PHONE_URL = "/a/crm_team/visits/{id}"
CHECKIN_FIELDS = [Visit.checkin_at, Visit.checkin_position, Visit.checkin_latitude,
                  Visit.checkin_longitude, Visit.checkin_accuracy, Visit.checkin_distance,
                  Visit.checkin_far, Visit.checkout_at, Visit.duration_minutes,
                  Visit.without_checkin, Visit.met_decision_maker]


def _mine(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return model.owner_id == actor.user_id  # type: ignore[attr-defined,no-any-return]


def _far(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Visit.checkin_far.is_(True)


def _no_checkin(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Visit.without_checkin.is_(True)


MINE = Filter("mine", _l("Mine"), _mine)

visit_form = FormView(Visit, fields=[
    Section(_l("Visit"), [Visit.visited_on, Visit.kind, Visit.customer_id, Visit.contact_id,
                          Visit.summary, Visit.state, Visit.owner_id, Visit.plan_id]),
    Section(_l("Record"), [Visit.purpose, Visit.result, Visit.next_step]),
    Section(_l("Check-in"), [Visit.checkin_at, Visit.checkin_position, Visit.checkin_latitude,
                             Visit.checkin_longitude, Visit.checkin_accuracy,
                             Visit.checkin_distance, Visit.checkin_far, Visit.checkout_at,
                             Visit.duration_minutes, Visit.without_checkin,
                             Visit.met_decision_maker]),
], lines=[Lines(Visit.people, columns=[VisitContact.contact_id, VisitContact.name,
                                       VisitContact.decision_role],
                label=_l("People met"))],
    readonly_in={state: CHECKIN_FIELDS for state in ("planned", "done", "cancelled")},
    links=[RecordLink(_l("Open on the phone"), PHONE_URL)])

visit_views: list[View] = [
    ListView(Visit, columns=[Visit.visited_on, Visit.kind, Visit.customer_id, Visit.summary,
                             Visit.state, Visit.checkin_at, Visit.checkin_far,
                             Visit.met_decision_maker, Visit.owner_id],
             search=[Visit.summary],
             filters=[MINE, Filter("far", _l("Checked in far away"), _far),
                      Filter("no_checkin", _l("Without check-in"), _no_checkin)],
             group_by=[Visit.state, Visit.kind, Visit.owner_id, Visit.customer_id],
             order=[(Visit.visited_on, True)]),
    visit_form,
    RecordAction(Visit, "check_in", _l("Check in"), checkin.check_in_action,
                 params=[Param("latitude", _l("Latitude"), kind="decimal", required=False),
                         Param("longitude", _l("Longitude"), kind="decimal", required=False),
                         Param("accuracy", _l("Accuracy (m)"), kind="decimal", required=False),
                         Param("position", _l("Position"), kind="choice", choices=POSITIONS,
                               required=False)],
                 visible=checkin.can_check_in),
    RecordAction(Visit, "check_out", _l("Check out"), checkin.check_out_action,
                 visible=checkin.can_check_out),
    RecordAction(Visit, "cancel", _l("Cancel the visit"), checkin.cancel_action,
                 visible=checkin.can_check_in, confirm=_l("Cancel this planned visit?")),
    RelatedList(Customer, key=Visit.customer_id,
                columns=[Visit.visited_on, Visit.kind, Visit.state, Visit.summary,
                         Visit.met_decision_maker, Visit.owner_id],
                label=_l("Visits"), order=[(Visit.visited_on, True)]),
]


def position_views() -> list[View]:
    """The customer's stored position on its form: built when the views are collected,
    after CustomerPosition's columns are mapped."""
    return [extend_view(customer_form, after=Customer.address,
                        add=[Customer.latitude, Customer.longitude])]  # type: ignore[attr-defined]

route_views: list[View] = [
    ListView(Route, columns=[Route.name, Route.weekday, Route.every_weeks, Route.owner_id,
                             Route.active],
             search=[Route.name], filters=[MINE], group_by=[Route.owner_id, Route.weekday],
             order=[(Route.weekday, False)]),
    FormView(Route, fields=[Route.name, Route.owner_id, Route.weekday, Route.every_weeks,
                            Route.first_week, Route.active, Route.note],
             lines=[Lines(Route.stops, columns=[RouteStop.sequence, RouteStop.customer_id,
                                                RouteStop.purpose, RouteStop.note],
                          label=_l("Itinerary"))],
             links=[RecordLink(_l("Itinerary"), "/a/crm_team/routes/{id}")]),
]

plan_views: list[View] = [
    ListView(Plan, columns=[Plan.week_start, Plan.owner_id, Plan.planned_count, Plan.state,
                            Plan.manager_comment],
             filters=[MINE], group_by=[Plan.state, Plan.owner_id, Plan.department_id],
             order=[(Plan.week_start, True)]),
    FormView(Plan, fields=[Plan.week_start, Plan.owner_id, Plan.planned_count, Plan.note,
                           Plan.manager_comment],
             lines=[Lines(Plan.visits, columns=[Visit.visited_on, Visit.sequence,
                                                Visit.customer_id, Visit.purpose, Visit.state],
                          label=_l("Planned visits"))],
             readonly_in={"draft": [Plan.planned_count, Plan.manager_comment],
                          "submitted": [Plan.week_start, Plan.owner_id, Plan.planned_count],
                          "reviewed": [Plan.week_start, Plan.owner_id, Plan.planned_count]}),
    KanbanView(Plan, column_by=Plan.state, card=[Plan.week_start, Plan.owner_id,
                                                 Plan.planned_count]),
    RecordAction(Plan, "from_routes", _l("Fill from my routes"), planning.generate_action,
                 visible=lambda plan: plan.state == "draft"),
]

report_views: list[View] = [
    ListView(WorkReport, columns=[WorkReport.title, WorkReport.kind, WorkReport.owner_id,
                                  WorkReport.visits_planned, WorkReport.visits_done,
                                  WorkReport.state, WorkReport.rating],
             search=[WorkReport.title], filters=[MINE],
             group_by=[WorkReport.kind, WorkReport.state, WorkReport.owner_id,
                       WorkReport.department_id],
             order=[(WorkReport.period_start, True)]),
    FormView(WorkReport, fields=[
        Section(_l("Period"), [WorkReport.kind, WorkReport.period_start, WorkReport.period_end,
                               WorkReport.title, WorkReport.owner_id]),
        Section(_l("Figures of the period"), [
            WorkReport.visits_planned, WorkReport.visits_done, WorkReport.visits_checked_in,
            WorkReport.decision_maker_meetings, WorkReport.new_customers,
            WorkReport.other_figures]),
        Section(_l("Summary and plans"), [WorkReport.summary, WorkReport.plans,
                                          WorkReport.problems, WorkReport.needs]),
        Section(_l("Manager"), [WorkReport.manager_comment, WorkReport.rating,
                                WorkReport.submitted_at]),
    ], readonly_in={"draft": [WorkReport.period_end, WorkReport.title, WorkReport.visits_planned,
                              WorkReport.visits_done, WorkReport.visits_checked_in,
                              WorkReport.decision_maker_meetings, WorkReport.new_customers,
                              WorkReport.other_figures, WorkReport.manager_comment,
                              WorkReport.rating, WorkReport.submitted_at]},
        links=[RecordLink(_l("Team board"), "/a/crm_team/board")]),
    RecordAction(WorkReport, "refresh", _l("Count the figures again"),
                 work_reports.refresh_action, visible=lambda report: report.state == "draft"),
]

trip_form = FormView(Trip, fields=[
    Section(_l("Travel request"), [Trip.destination, Trip.date_from, Trip.date_to,
                                   Trip.purpose]),
    Section(_l("Budget"), [Trip.estimated_cost]),
    # The department follows the traveller (saving.py): not on the form.
    Section(_l("Traveller"), [Trip.owner_id, Trip.note]),
], lines=[Lines(Trip.stops, columns=[TripStop.planned_on, TripStop.customer_id,
                                     TripStop.purpose], label=_l("Customers to visit"))])

trip_list = ListView(Trip, columns=[Trip.destination, Trip.date_from, Trip.date_to,
                                    Trip.owner_id, Trip.estimated_cost, Trip.state],
                     search=[Trip.destination, Trip.purpose], filters=[MINE],
                     group_by=[Trip.state, Trip.owner_id, Trip.department_id],
                     sums=[Trip.estimated_cost], order=[(Trip.date_from, True)])

trip_views: list[View] = [
    trip_list,
    trip_form,
    KanbanView(Trip, column_by=Trip.state, card=[Trip.destination, Trip.date_from,
                                                 Trip.owner_id, Trip.estimated_cost]),
    RelatedList(Customer, key=TripStop.customer_id,
                columns=[TripStop.planned_on, TripStop.trip_id, TripStop.owner_id,
                         TripStop.purpose],
                label=_l("Trips"), order=[(TripStop.planned_on, True)]),
]

setting_views: list[View] = [
    ListView(TeamSetting, columns=[TeamSetting.checkin_limit, TeamSetting.coverage_weeks]),
    FormView(TeamSetting, fields=[TeamSetting.checkin_limit, TeamSetting.coverage_weeks]),
]

VIEWS: list[View] = [*visit_views, *route_views, *plan_views, *report_views, *trip_views,
                     *setting_views]

MENUS = [
    Menu("team_today", _l("Today"), path="/a/crm_team/today", sequence=20),
    Menu("visits", _l("Visits"), model=Visit, sequence=21),
    Menu("team_plans", _l("Visit plans"), model=Plan, sequence=22),
    Menu("team_routes", _l("Routes"), model=Route, sequence=23),
    Menu("team_reports", _l("Work reports"), model=WorkReport, sequence=24),
    Menu("team_board", _l("Team board"), path="/a/crm_team/board", sequence=25),
    Menu("team_trips", _l("Travel requests"), model=Trip, sequence=26),
    Menu("team_settings", _l("Visit settings"), model=TeamSetting, sequence=90, roles=(ADMIN,)),
]
