"""One visit model: crm_team's visits, checked in and out, counted by crm_funnel (#17)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from addons.crm_funnel import reports as funnel_reports
from addons.crm_team.models import Visit
from core.context import acting_as, system_context
from core.errors import ValidationError
from core.reports import run_report
from tests.addons.crm_team.conftest import PHARMACY_AT, TeamWorld

pytestmark = pytest.mark.sqlite_only


def planned_visit(world: TeamWorld, login: str = "li.na", customer: str = "pharmacy") -> int:
    return world.create(login, Visit, {"customer_id": world.customers[customer],
                                       "visited_on": dt.date.today().isoformat(),
                                       "state": "planned", "kind": "visit"})


def act(world: TeamWorld, login: str, visit_id: int, action: str, **values: object) -> str:
    from core import actions

    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        _record, message = actions.run(session, world.kernel.records[Visit], visit_id, action,
                                       values)
        return str(message)


def test_check_in_at_the_pharmacy_then_record_and_check_out(world: TeamWorld) -> None:
    visit_id = planned_visit(world)
    near = (PHARMACY_AT[0] + 0.0005, PHARMACY_AT[1])  # about 56 m north
    assert act(world, "li.na", visit_id, "check_in", latitude=str(near[0]),
               longitude=str(near[1]), accuracy="12.4", position="granted") == "Checked in."
    visit = world.read(Visit, visit_id)
    assert visit.checkin_position == "granted" and visit.checkin_accuracy == 12
    assert 50 <= visit.checkin_distance <= 60 and visit.checkin_far is False
    world.update("li.na", Visit, visit_id, {
        "version": visit.version, "purpose": "新品上架", "result": "店长同意进货",
        "people": [{"contact_id": world.contacts["boss"]}, {"name": "店员小刘"}]})
    act(world, "li.na", visit_id, "check_out")
    visit = world.read(Visit, visit_id)
    assert visit.state == "done" and visit.duration_minutes is not None
    assert visit.met_decision_maker is True and visit.without_checkin is False
    assert visit.owner_id == world.users["li.na"] and visit.department_id is not None


def test_a_check_in_far_from_the_customer_is_flagged(world: TeamWorld) -> None:
    visit_id = planned_visit(world)
    message = act(world, "li.na", visit_id, "check_in", latitude="31.2404",
                  longitude="121.4737", accuracy="30")
    visit = world.read(Visit, visit_id)
    assert visit.checkin_far is True and 1100 <= visit.checkin_distance <= 1120
    assert "beyond the limit" in message


def test_a_refused_position_is_kept_as_refused(world: TeamWorld) -> None:
    visit_id = planned_visit(world)
    act(world, "li.na", visit_id, "check_in", position="denied")
    visit = world.read(Visit, visit_id)
    assert visit.checkin_at is not None and visit.checkin_position == "denied"
    assert visit.checkin_latitude is None and visit.checkin_far is False


def test_a_visit_recorded_without_check_in_is_marked(world: TeamWorld) -> None:
    visit_id = world.create("li.na", Visit, {"customer_id": world.customers["hospital"],
                                             "summary": "路过拜访"})
    visit = world.read(Visit, visit_id)
    assert visit.state == "done" and visit.without_checkin is True


def test_people_met_belong_to_the_visited_customer(world: TeamWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        world.create("li.na", Visit, {"customer_id": world.customers["hospital"],
                                      "people": [{"contact_id": world.contacts["boss"]}]})
    assert "people.0.contact_id" in refused.value.fields, refused.value.fields


def test_reps_see_their_visits_managers_their_department(world: TeamWorld) -> None:
    mine = planned_visit(world, "li.na")
    with system_context(), world.kernel.sessions.begin() as session:  # her customer is li.na's
        hers_visit = Visit(customer_id=world.customers["hospital"], state="planned",
                           owner_id=world.users["wang.fang"],
                           division_id=world.read(Visit, mine).division_id)
        session.add(hers_visit)
        session.flush()
        hers = hers_visit.id
    other = planned_visit(world, "chen.jie", "suzhou")
    assert world.visible("li.na", Visit) == {mine}
    assert world.visible("zhang.wei", Visit) >= {mine, hers}
    assert other not in world.visible("zhang.wei", Visit)
    assert world.visible("gm", Visit) >= {mine, hers, other}


def test_funnel_rep_activity_counts_crm_team_visits(world: TeamWorld) -> None:
    visit_id = planned_visit(world)
    act(world, "li.na", visit_id, "check_in", position="denied")
    world.update("li.na", Visit, visit_id, {"version": world.read(Visit, visit_id).version,
                                            "people": [{"contact_id": world.contacts["boss"]}]})
    act(world, "li.na", visit_id, "check_out")
    planned_visit(world)  # still planned: not a contact yet
    with acting_as(world.actor("zhang.wei")), world.kernel.session() as session:
        result = run_report(session, funnel_reports.process, columns="")
    figures = result.row(world.users["li.na"])
    assert (figures["visits"], figures["decision_makers"], figures["all"]) == (1, 1, 1)


def test_uninstalling_crm_team_is_refused_while_crm_funnel_needs_it(world: TeamWorld) -> None:
    from core.addons import AddonError
    from core.installer import uninstall

    with pytest.raises(AddonError, match="crm_funnel"):
        uninstall(world.kernel.settings, "crm_team")
    with world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Visit)) is not None
