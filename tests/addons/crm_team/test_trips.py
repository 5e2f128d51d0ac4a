"""Travel requests (出差申请): requested, approved through the chain, checked field by field,
seen by whom they concern; the coverage report over the division's cycle (#17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from addons.crm_team.models import TeamSetting, Trip, TripStop, Visit
from core.context import acting_as, system_context
from core.errors import KehuError, ValidationError
from core.models import Division
from core.workflow import decide, fire
from core.workflow.models import ApprovalRequest, ApprovalTask
from tests.addons.crm_team.conftest import TeamWorld

START = dt.date(2026, 12, 14)


def trip_values(world: TeamWorld, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "destination": "南京", "purpose": "南京重点医院学术拜访",
        "date_from": START.isoformat(), "date_to": (START + dt.timedelta(days=2)).isoformat(),
        "estimated_cost": "2800.00",
        "stops": [{"customer_id": world.customers["hospital"],
                   "planned_on": START.isoformat(), "purpose": "学术拜访"},
                  {"customer_id": world.customers["pharmacy"],
                   "planned_on": (START + dt.timedelta(days=1)).isoformat()}]}
    return {**values, **changes}


def fire_as(world: TeamWorld, login: str, trip_id: int, name: str, **options: Any) -> None:
    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        fire(session, session.get(Trip, trip_id), name, **options)


def tasks(world: TeamWorld, trip_id: int) -> list[ApprovalTask]:
    with system_context(), world.kernel.session() as session:
        request = session.scalar(sa.select(ApprovalRequest).where(
            ApprovalRequest.model == "crm_team_trip", ApprovalRequest.res_id == trip_id)
            .order_by(ApprovalRequest.round.desc()).limit(1))
        return list(session.scalars(sa.select(ApprovalTask).where(
            ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence)))


def decide_as(world: TeamWorld, login: str, task_id: int, approve: bool = True,
              comment: str | None = None) -> None:
    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        decide(session, task_id, approve, comment)


@pytest.mark.sqlite_only
def test_a_trip_is_requested_and_approved_by_the_reps_superior(world: TeamWorld) -> None:
    trip_id = world.create("li.na", Trip, trip_values(world))
    trip = world.read(Trip, trip_id)
    assert (trip.owner_id, trip.state, trip.estimated_cost) == (
        world.users["li.na"], "draft", Decimal("2800.00"))
    with system_context(), world.kernel.session() as session:
        stops = session.scalars(sa.select(TripStop).where(TripStop.trip_id == trip_id)).all()
        assert {s.owner_id for s in stops} == {world.users["li.na"]}  # for the record rules
    fire_as(world, "li.na", trip_id, "submit")
    steps = tasks(world, trip_id)
    assert [t.name for t in steps] == ["Direct superior"]
    with pytest.raises(KehuError, match="comment"):
        decide_as(world, "zhang.wei", steps[0].id, approve=False)
    decide_as(world, "zhang.wei", steps[0].id, approve=False, comment="请合并到下周行程")
    assert world.read(Trip, trip_id).state == "draft"
    fire_as(world, "li.na", trip_id, "submit")
    decide_as(world, "zhang.wei", tasks(world, trip_id)[0].id)
    assert world.read(Trip, trip_id).state == "approved"
    with pytest.raises(KehuError):  # approved: locked
        world.update("li.na", Trip, trip_id, {"estimated_cost": "100.00"})


@pytest.mark.sqlite_only
def test_a_costly_trip_also_needs_the_general_manager(world: TeamWorld) -> None:
    trip_id = world.create("li.na", Trip, trip_values(world, estimated_cost="6800.00"))
    fire_as(world, "li.na", trip_id, "submit")
    steps = tasks(world, trip_id)
    assert [t.name for t in steps] == ["Direct superior", "General manager"]
    decide_as(world, "zhang.wei", steps[0].id)
    assert world.read(Trip, trip_id).state == "submitted"
    decide_as(world, "gm", steps[1].id)
    assert world.read(Trip, trip_id).state == "approved"


def bad_values(world: TeamWorld, field: str) -> dict[str, Any]:
    """Trip values with one mistake in `field`."""
    late = (START + dt.timedelta(days=9)).isoformat()
    return {
        "date_to": {"date_to": (START - dt.timedelta(days=1)).isoformat()},
        "estimated_cost": {"estimated_cost": "-5.00"},
        "destination": {"destination": "  "},
        "purpose": {"purpose": ""},
        "stops.0.planned_on": {"stops": [{"customer_id": world.customers["hospital"],
                                          "planned_on": late}]},
    }[field]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("field", ["date_to", "estimated_cost", "destination", "purpose",
                                   "stops.0.planned_on"])
def test_bad_input_names_the_field(world: TeamWorld, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        world.create("li.na", Trip, trip_values(world, **bad_values(world, field)))
    assert list(refused.value.fields) == [field]
    with system_context(), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Trip)) == 0


@pytest.mark.sqlite_only
def test_reps_see_their_trips_managers_their_departments_the_general_manager_all(
        world: TeamWorld) -> None:
    li_na = world.create("li.na", Trip, trip_values(world))
    chen = world.create("chen.jie", Trip, trip_values(world, stops=[
        {"customer_id": world.customers["suzhou"], "planned_on": START.isoformat()}]))
    assert world.visible("li.na", Trip) == {li_na}
    assert world.visible("wang.fang", Trip) == set()  # same department, not hers
    assert world.visible("chen.jie", Trip) == {chen}  # another department's: not li.na's
    with system_context(), world.kernel.session() as session:
        chens_stops = set(session.scalars(sa.select(TripStop.id).where(TripStop.trip_id == chen)))
    assert world.visible("chen.jie", TripStop) == chens_stops  # the lines follow their trip
    assert world.visible("zhang.wei", Trip) == {li_na}  # manager of 销售一组 only
    assert world.visible("gm", Trip) == {li_na, chen}
    assert world.visible("east.rep", Trip) == set()
    with pytest.raises(KehuError):  # not his to see
        world.update("chen.jie", Trip, li_na, {"purpose": "改"})


def test_coverage_over_the_divisions_cycle_equals_a_hand_written_query(world: TeamWorld) -> None:
    """Both engines: the cycle's date arithmetic is compiled per database. The cycle is the division's setting (two weeks here): done visits from 13 days ago
    to today count; 14 days ago, planned ones and tomorrow's do not."""
    from addons.crm_team import reports as team_reports
    from core.reports import run_report

    today = dt.date.today()
    with system_context(), world.kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division.id).where(Division.code == "HQ"))
        setting = session.scalar(sa.select(TeamSetting).where(TeamSetting.division_id == hq))
        if setting is None:
            setting = TeamSetting(division_id=hq)
            session.add(setting)
        setting.coverage_weeks = 2
    for login, customer, days_ago, state in (
            ("li.na", "pharmacy", 13, "done"), ("li.na", "hospital", 14, "done"),
            ("chen.jie", "suzhou", 3, "planned"), ("chen.jie", "suzhou", -1, "done")):
        world.create(login, Visit, {"customer_id": world.customers[customer], "summary": "拜访",
                                    "visited_on": (today - dt.timedelta(days=days_ago)).isoformat(),
                                    "state": state})
    report = {r.key: r for r in team_reports.REPORTS}["team_coverage"]
    with acting_as(world.actor("gm")), world.kernel.session() as session:
        result = run_report(session, report, rows="owner")
    got = {row: (result.row(row)["customers"], result.row(row)["visited"])
           for row in (world.users["li.na"], world.users["chen.jie"])}
    start = today - dt.timedelta(days=13)
    with world.kernel.engine.connect() as connection:
        expected = {owner: (customers, visited) for owner, customers, visited in connection.execute(
            sa.text("""
                SELECT c.owner_id, COUNT(*),
                       SUM(CASE WHEN EXISTS (
                           SELECT 1 FROM crm_visit v WHERE v.customer_id = c.id
                             AND v.state = 'done' AND v.visited_on BETWEEN :start AND :today)
                           THEN 1 ELSE 0 END)
                FROM crm_customer c
                WHERE c.level IN ('A', 'B') AND c.owner_id IN (:li_na, :chen)
                GROUP BY c.owner_id"""),
            {"start": start, "today": today, "li_na": world.users["li.na"],
             "chen": world.users["chen.jie"]})}
    assert got == expected == {world.users["li.na"]: (2, 1), world.users["chen.jie"]: (1, 0)}
    assert float(result.row(world.users["li.na"])["coverage"]) == 50.0
