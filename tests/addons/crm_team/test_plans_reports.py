"""Routes → weekly plans (generated, edited, submitted, commented); work reports (pre-filled,
submitted, rated), reminders and the board (#17)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_team import planning, work_reports
from addons.crm_team.models import Plan, Route, Visit, WorkReport
from core.context import acting_as, system_context
from core.errors import TransitionRefused, ValidationError
from core.models import Division
from core.workflow import fire
from tests.addons.crm_team.conftest import MONDAY, TeamWorld


def route(world: TeamWorld, login: str = "li.na", weekday: str = "2", every: int = 1) -> int:
    return world.create(login, Route, {
        "name": "周二 人民广场线", "weekday": weekday, "every_weeks": every,
        "first_week": MONDAY.isoformat(),
        "stops": [{"sequence": 10, "customer_id": world.customers["hospital"]},
                  {"sequence": 20, "customer_id": world.customers["pharmacy"],
                   "purpose": "陈列检查"}]})


def plan_of_week(world: TeamWorld, login: str, week: dt.date) -> int:
    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        return int(planning.plan_for_week(session, world.users[login], week).id)


def fire_as(world: TeamWorld, login: str, model: type, record_id: int, name: str,
            **options: object) -> None:
    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        fire(session, session.get(model, record_id), name, **options)


@pytest.mark.sqlite_only
def test_a_weekly_plan_is_generated_from_the_routes_in_order(world: TeamWorld) -> None:
    route(world)
    route(world, weekday="4", every=2)  # every other week from MONDAY: this week, not next
    plan_id = plan_of_week(world, "li.na", MONDAY + dt.timedelta(days=2))
    plan = world.read(Plan, plan_id)
    assert plan.week_start == MONDAY and plan.planned_count == 4
    with system_context(), world.kernel.session() as session:
        visits = session.execute(sa.select(Visit.visited_on, Visit.customer_id, Visit.state)
                                 .where(Visit.plan_id == plan_id)
                                 .order_by(Visit.visited_on, Visit.sequence)).all()
    tuesday, thursday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=3)
    assert visits == [(tuesday, world.customers["hospital"], "planned"),
                      (tuesday, world.customers["pharmacy"], "planned"),
                      (thursday, world.customers["hospital"], "planned"),
                      (thursday, world.customers["pharmacy"], "planned")]
    next_week = world.read(Plan, plan_of_week(world, "li.na", MONDAY + dt.timedelta(days=7)))
    assert next_week.planned_count == 2


@pytest.mark.sqlite_only
def test_a_plan_is_edited_submitted_and_commented_by_the_manager(world: TeamWorld) -> None:
    route(world)
    plan_id = plan_of_week(world, "li.na", MONDAY)
    with system_context(), world.kernel.session() as session:
        first, second = session.scalars(sa.select(Visit.id).where(Visit.plan_id == plan_id)
                                        .order_by(Visit.sequence))
    friday = MONDAY + dt.timedelta(days=4)
    world.update("li.na", Plan, plan_id, {"visits": [
        {"id": second, "visited_on": friday.isoformat(), "customer_id": world.customers["pharmacy"]},
        {"visited_on": MONDAY.isoformat(), "customer_id": world.customers["hospital"],
         "purpose": "科室会"}]})
    plan = world.read(Plan, plan_id)
    assert plan.planned_count == 2 and world.read(Visit, second).visited_on == friday
    with system_context(), world.kernel.session() as session:
        dropped = session.get(Visit, first)
        assert dropped is None  # dropped from the plan: a planned visit goes
    with pytest.raises(ValidationError):  # a plan's visits stay in its week
        world.update("li.na", Plan, plan_id, {"visits": [
            {"id": second, "visited_on": (MONDAY + dt.timedelta(days=9)).isoformat(),
             "customer_id": world.customers["pharmacy"]}]})
    fire_as(world, "li.na", Plan, plan_id, "submit")
    with pytest.raises(TransitionRefused):
        fire_as(world, "li.na", Plan, plan_id, "review", values={"manager_comment": "好"})
    fire_as(world, "zhang.wei", Plan, plan_id, "review",
            values={"manager_comment": "周五加上华山医院药剂科"})
    plan = world.read(Plan, plan_id)
    assert plan.state == "reviewed" and plan.manager_comment == "周五加上华山医院药剂科"
    assert plan_id not in world.visible("chen.jie", Plan)


def _done_visit(world: TeamWorld, day: dt.date, *, checked_in: bool, boss: bool) -> int:
    values = {"customer_id": world.customers["pharmacy"], "visited_on": day.isoformat(),
              "summary": "拜访"}
    if boss:
        values["people"] = [{"contact_id": world.contacts["boss"]}]
    visit_id = world.create("li.na", Visit, values)
    if checked_in:
        with system_context(), world.kernel.sessions.begin() as session:
            visit = session.get(Visit, visit_id)
            visit.checkin_at = dt.datetime.combine(day, dt.time(9))
            visit.checkout_at = dt.datetime.combine(day, dt.time(10))
    return visit_id


def test_a_weekly_report_is_pre_filled_with_the_weeks_figures(world: TeamWorld) -> None:
    route(world)  # two planned visits on Tuesday
    plan_of_week(world, "li.na", MONDAY)
    _done_visit(world, MONDAY, checked_in=True, boss=True)
    _done_visit(world, MONDAY + dt.timedelta(days=2), checked_in=False, boss=False)
    _done_visit(world, MONDAY + dt.timedelta(days=7), checked_in=True, boss=True)  # next week
    with system_context(), world.kernel.sessions.begin() as session:
        session.execute(sa.update(Visit).where(Visit.plan_id.is_not(None),
                                               Visit.sequence == 1).values(state="done"))
        session.execute(sa.update(Customer).where(Customer.id == world.customers["pharmacy"])
                        .values(create_date=dt.datetime.combine(MONDAY, dt.time(8))))
    report_id = world.create("li.na", WorkReport, {"kind": "weekly",
                                                   "period_start": (MONDAY + dt.timedelta(days=3)).isoformat()})
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        report = session.get(WorkReport, report_id)
        work_reports.prefill(session, report, work_reports._hooks(session, report.division_id))
    report = world.read(WorkReport, report_id)
    assert (report.period_start, report.period_end, report.title) == (
        MONDAY, MONDAY + dt.timedelta(days=6), "2026-W49")
    assert (report.visits_planned, report.visits_done, report.visits_checked_in,
            report.decision_maker_meetings, report.new_customers) == (2, 3, 1, 1, 1)
    assert "Opportunities won" in (report.other_figures or "")  # crm_funnel answers the hook


@pytest.mark.sqlite_only
def test_a_report_is_submitted_then_commented_and_rated(world: TeamWorld) -> None:
    report_id = world.create("li.na", WorkReport, {"kind": "weekly",
                                                   "period_start": MONDAY.isoformat()})
    with pytest.raises(TransitionRefused, match="summary"):
        fire_as(world, "li.na", WorkReport, report_id, "submit")
    world.update("li.na", WorkReport, report_id, {"summary": "完成重点药房铺货", "plans": "下周拜访华山"})
    fire_as(world, "li.na", WorkReport, report_id, "submit")
    assert world.read(WorkReport, report_id).submitted_at is not None
    with pytest.raises(ValidationError):  # a rating is needed with the comment
        fire_as(world, "zhang.wei", WorkReport, report_id, "review",
                values={"manager_comment": "不错"})
    fire_as(world, "zhang.wei", WorkReport, report_id, "review",
            values={"manager_comment": "不错，继续跟进华山", "rating": "4"})
    report = world.read(WorkReport, report_id)
    assert (report.state, report.rating) == ("reviewed", "4")
    assert report_id in world.visible("zhang.wei", WorkReport)
    assert report_id not in world.visible("chen.jie", WorkReport)
    assert report_id not in world.visible("wang.fang", WorkReport)


@pytest.mark.sqlite_only
def test_reminders_find_exactly_the_missing_weekly_reports(world: TeamWorld) -> None:
    filed = world.create("li.na", WorkReport, {"kind": "weekly", "period_start": MONDAY.isoformat(),
                                               "summary": "本周总结"})
    fire_as(world, "li.na", WorkReport, filed, "submit")
    world.create("wang.fang", WorkReport, {"kind": "weekly",
                                           "period_start": MONDAY.isoformat()})  # a draft
    today = MONDAY + dt.timedelta(days=8)
    with system_context(), world.kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division).where(Division.code == "HQ"))
        missing = work_reports.missing_reports(session, hq.id, "weekly", MONDAY)
        assert set(missing) == {world.users["wang.fang"], world.users["chen.jie"]}
        assert work_reports.remind_weekly(session, hq, today=today) == 2
    with system_context(), world.kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division).where(Division.code == "HQ"))
        assert work_reports.remind_weekly(session, hq, today=today) == 0  # once
        drafts = session.scalars(sa.select(WorkReport.owner_id).where(
            WorkReport.period_start == MONDAY, WorkReport.state == "draft")).all()
    assert sorted(drafts) == sorted([world.users["wang.fang"], world.users["chen.jie"]])
    with acting_as(world.actor("zhang.wei")), world.kernel.session() as session:
        board = {row.name: row.report.state if row.report else None
                 for row in work_reports.board(session, "weekly", MONDAY)}
    assert board == {"李娜": "submitted", "王芳": "draft"}  # his department's reps only


@pytest.mark.parametrize("key", ["team_visits", "team_coverage", "team_route_compliance",
                                 "team_report_submission"])
def test_the_team_reports_run_as_one_aggregate(world: TeamWorld, key: str) -> None:
    from addons.crm_team import reports as team_reports
    from core.reports import run_report

    report = {r.key: r for r in team_reports.REPORTS}[key]
    route(world)
    plan_id = plan_of_week(world, "li.na", dt.date.today() - dt.timedelta(days=7))
    _done_visit(world, dt.date.today() - dt.timedelta(days=1), checked_in=True, boss=True)
    world.create("li.na", WorkReport, {"kind": "weekly", "period_start": MONDAY.isoformat()})
    with acting_as(world.actor("zhang.wei")), world.kernel.session() as session:
        result = run_report(session, report)
    assert result.rows, key
    if key == "team_coverage":  # li.na's two A customers, the pharmacy visited
        figures = result.row(world.users["li.na"])
        assert (figures["customers"], figures["visited"]) == (2, 1)
        assert float(figures["coverage"]) == 50.0
    assert plan_id
