"""Demo data for crm_team (#17): for every sales rep of the first (headquarters) division,
two weekly routes, thirteen weeks of plans generated from them, the visits done (checked in
near the customer, some far away, some without check-in, with the people met) and weekly
reports submitted and rated by the manager (zhang.wei for li.na and her colleagues), and
for three reps a travel request approved last month, one waiting for approval and a draft.

Everything is relative to today, so every report of the addon shows real numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Contact, Customer
from addons.crm_team import planning, work_reports
from addons.crm_team.models import (
    DONE,
    PLANNED,
    Plan,
    Route,
    RouteStop,
    Trip,
    TripStop,
    VisitContact,
    WorkReport,
)
from core.context import acting_as
from core.models import Department, Division, Role, User
from core.org import SALES_REP, actor_for
from core.workflow import decide, fire
from core.workflow.models import ApprovalTask
from core.workflow.registry import workflows_of
from core.workflow.rounds import pending_request

WEEKS = 13
CENTRES = [(31.2304, 121.4737), (32.0603, 118.7969), (30.2741, 120.1551)]  # 上海, 南京, 杭州
PURPOSES = ["新品推广", "陈列检查", "库存盘点与补货", "学术拜访", "回款沟通", "合同续签"]
RESULTS = ["客户同意增加订货量", "确认下月促销方案", "需要再次拜访决策人", "完成陈列整改",
           "收集到竞品价格信息"]
SUMMARIES = ["本周按计划完成重点客户拜访，新品铺货进度良好。",
             "拜访覆盖率达标，两家连锁药房同意试销。",
             "部分客户因库存积压暂缓订货，需市场部支持促销。"]
COMMENTS = ["继续保持，注意跟进决策人。", "覆盖率不错，下周重点攻华山医院。", "签到偏远的情况要说明原因。"]


def create_demo_team(session: Session, divisions: list[Division]) -> None:
    """Routes, plans, visits and reports for the reps of the first division."""
    if not divisions or session.scalar(sa.select(sa.func.count()).select_from(Route)):
        return
    rng = random.Random(17)
    division = divisions[0]
    today = dt.date.today()
    travellers = 0
    for rep in _reps(session, division.id):
        customers = _customers(session, rep, rng)
        if len(customers) < 4:
            continue
        _routes(session, rep, customers)
        manager = _manager(session, rep)
        if travellers < len(TRIPS):
            travellers += _trips(session, rep, customers, manager, TRIPS[travellers])
        for weeks_back in range(WEEKS, -1, -1):
            monday = planning.monday(today) - dt.timedelta(weeks=weeks_back)
            plan = Plan(owner_id=rep.id, week_start=monday, division_id=division.id)
            session.add(plan)
            planning.fill_from_routes(session, plan)
            if weeks_back == 0:
                _today(plan, customers, today)
            session.flush()
            _live(session, rng, plan, today, manager)
            if weeks_back > 0:
                _report(session, rng, rep, monday, manager, skip=weeks_back == 1 and rep.id % 3 == 0)
    session.flush()


def _reps(session: Session, division_id: int) -> list[User]:
    return list(session.scalars(sa.select(User).where(
        User.division_id == division_id, User.active.is_(True),
        User.roles.any(Role.code == SALES_REP)).order_by(User.id)))


def _manager(session: Session, rep: User) -> int | None:
    department = session.get(Department, rep.department_id) if rep.department_id else None
    return department.manager_id if department is not None else None


def _customers(session: Session, rep: User, rng: random.Random) -> list[Customer]:
    """Eight of the rep's customers (pharmacies first), given a position and a decision maker."""
    mine = list(session.scalars(sa.select(Customer).where(Customer.owner_id == rep.id)
                                .order_by(Customer.level, Customer.id).limit(60)))
    mine.sort(key=lambda c: (0 if "药" in c.name else 1, c.level or "Z", c.id))
    chosen = mine[:8]
    centre = CENTRES[rep.id % len(CENTRES)]
    for customer in chosen:
        if customer.latitude is None:  # type: ignore[attr-defined]
            customer.latitude = round(centre[0] + rng.uniform(-0.08, 0.08), 6)  # type: ignore[attr-defined]
            customer.longitude = round(centre[1] + rng.uniform(-0.08, 0.08), 6)  # type: ignore[attr-defined]
        has_boss = session.scalar(sa.select(sa.func.count()).select_from(Contact).where(
            Contact.customer_id == customer.id, Contact.decision_role == "decision_maker"))
        if not has_boss:
            session.add(Contact(customer_id=customer.id, division_id=customer.division_id,
                                name=rng.choice("赵钱孙周吴郑") + "经理", decision_role="decision_maker"))
    session.flush()
    return chosen


def _routes(session: Session, rep: User, customers: list[Customer]) -> None:
    start = planning.monday(dt.date.today()) - dt.timedelta(weeks=WEEKS)
    for weekday, name, stops in (("2", "周二线", customers[:4]), ("4", "周四线", customers[4:8])):
        route = Route(name=f"{rep.name} {name}", owner_id=rep.id, weekday=weekday,
                      every_weeks=1, first_week=start, division_id=rep.division_id)
        route.stops = [RouteStop(sequence=10 * (place + 1), customer_id=c.id,
                                 purpose=PURPOSES[place % len(PURPOSES)])
                       for place, c in enumerate(stops)]
        session.add(route)
    session.flush()


def _today(plan: Plan, customers: list[Customer], today: dt.date) -> None:
    """Today's list: three visits beyond the routes (the first at a pharmacy when there is one)."""
    planned = {(v.visited_on, v.customer_id) for v in plan.visits}
    for place, customer in enumerate(customers[:3], start=1):
        if (today, customer.id) not in planned:
            from addons.crm_team.models import Visit

            plan.visits.append(Visit(visited_on=today, customer_id=customer.id, state=PLANNED,
                                     sequence=place, purpose=PURPOSES[place], summary=""))


def _live(session: Session, rng: random.Random, plan: Plan, today: dt.date,
          manager: int | None) -> None:
    """What became of the plan's visits that are past: most done, a few dropped."""
    contacts: dict[int, list[Contact]] = {}
    for visit in plan.visits:
        if visit.visited_on >= today or rng.random() < 0.12:
            continue
        customer = session.get(Customer, visit.customer_id)
        visit.state = DONE
        visit.purpose = visit.purpose or rng.choice(PURPOSES)
        visit.result = rng.choice(RESULTS)
        visit.summary = visit.result
        if rng.random() < 0.9:
            _checked_in(rng, visit, customer)
        if visit.customer_id not in contacts:
            contacts[visit.customer_id] = list(session.scalars(sa.select(Contact).where(
                Contact.customer_id == visit.customer_id).order_by(Contact.id).limit(5)))
        people = contacts[visit.customer_id]
        met = [c for c in people if c.decision_role == "decision_maker" and rng.random() < 0.45]
        met += [c for c in people if c.decision_role != "decision_maker" and rng.random() < 0.5][:1]
        visit.people = [VisitContact(contact_id=c.id) for c in met]
    if plan.week_start + dt.timedelta(days=6) < today:
        plan.state = "reviewed" if manager and rng.random() < 0.7 else "submitted"
        if plan.state == "reviewed":
            plan.manager_comment = rng.choice(COMMENTS)
    session.flush()


def _checked_in(rng: random.Random, visit: object, customer: Customer | None) -> None:
    from addons.crm_team.geo import distance_m

    start = dt.datetime.combine(visit.visited_on, dt.time(9 + rng.randint(0, 7), rng.randint(0, 59)))  # type: ignore[attr-defined]
    far = rng.random() < 0.08
    lat = (customer.latitude or CENTRES[0][0]) + rng.uniform(-0.0015, 0.0015) + (0.02 if far else 0)  # type: ignore[union-attr,attr-defined]
    lon = (customer.longitude or CENTRES[0][1]) + rng.uniform(-0.0015, 0.0015)  # type: ignore[union-attr,attr-defined]
    visit.checkin_at, visit.checkout_at = start, start + dt.timedelta(minutes=rng.randint(15, 75))  # type: ignore[attr-defined]
    visit.checkin_position, visit.checkin_accuracy = "granted", rng.randint(8, 60)  # type: ignore[attr-defined]
    visit.checkin_latitude, visit.checkin_longitude = round(lat, 6), round(lon, 6)  # type: ignore[attr-defined]
    if customer is not None and customer.latitude is not None:  # type: ignore[attr-defined]
        visit.checkin_distance = distance_m(lat, lon, customer.latitude, customer.longitude)  # type: ignore[attr-defined]
        visit.checkin_far = visit.checkin_distance > 500  # type: ignore[attr-defined]


def _report(session: Session, rng: random.Random, rep: User, monday: dt.date,
            manager: int | None, *, skip: bool) -> None:
    """The rep's weekly report of the week (one rep in three left last week's out)."""
    if skip:
        return
    report = WorkReport(owner_id=rep.id, kind="weekly", period_start=monday,
                        division_id=rep.division_id, summary=rng.choice(SUMMARIES),
                        plans="下周按路线拜访，重点跟进 A 类客户。", problems="部分客户回款慢。",
                        needs="希望市场部提供促销物料。")
    session.add(report)
    work_reports.prefill(session, report)
    report.state = "submitted"
    report.submitted_at = dt.datetime.combine(monday + dt.timedelta(days=5), dt.time(17))
    if manager and rng.random() < 0.75:
        report.state = "reviewed"
        report.manager_comment = rng.choice(COMMENTS)
        report.rating = str(rng.randint(3, 5))
    session.flush()


# The trip approved last month (destination, purpose, estimated cost, first day of the
# month), then the one waiting for approval (destination, purpose).
TRIPS = [("南京", "南京重点客户季度拜访与新品推广", "2800.00", 5, "杭州", "杭州连锁药房年度合同洽谈"),
         ("杭州", "杭州客户季度回访", "3200.00", 3, "合肥", "合肥新市场开拓"),
         ("宁波", "宁波经销商库存盘点与陈列检查", "1900.00", 8, "苏州", "苏州医院学术拜访")]


def _trips(session: Session, rep: User, customers: list[Customer], manager: int | None,
           row: tuple[str, str, str, int, str, str]) -> int:
    """A trip approved last month (through the chain, by the rep's manager), one submitted
    for next week and a draft; 1 when made, 0 when the rep has no manager to approve."""
    if manager is None:
        return 0
    place, purpose, cost, day, later, later_purpose = row
    month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    next_week = planning.monday(dt.date.today()) + dt.timedelta(weeks=1)
    with acting_as(actor_for(session, rep)):
        past = _trip(session, rep, place, purpose, cost, month.replace(day=day), 3,
                     customers[:2])
        fire(session, past, "submit")
        waiting = _trip(session, rep, later, later_purpose, "6500.00", next_week, 4, customers[2:5])
        fire(session, waiting, "submit")
        _trip(session, rep, "上海郊区", "周边县级医院走访", "600.00",
              next_week + dt.timedelta(weeks=2), 2, customers[5:7])
    workflow = workflows_of(session).for_model(Trip)
    request = pending_request(session, workflow, past.id) if workflow is not None else None
    boss = session.get(User, manager)
    if request is not None and boss is not None:
        for task in session.scalars(sa.select(ApprovalTask).where(
                ApprovalTask.request_id == request.id).order_by(ApprovalTask.sequence)).all():
            with acting_as(actor_for(session, boss)):
                decide(session, task.id, True, "同意出差")
    session.flush()
    return 1


def _trip(session: Session, rep: User, place: str, purpose: str, cost: str, start: dt.date,
          days: int, customers: list[Customer]) -> Trip:
    trip = Trip(destination=place, purpose=purpose, estimated_cost=Decimal(cost),
                date_from=start, date_to=start + dt.timedelta(days=days - 1),
                owner_id=rep.id, division_id=rep.division_id)
    trip.stops = [TripStop(customer_id=c.id, planned_on=start + dt.timedelta(days=i % days),
                           purpose=PURPOSES[i % len(PURPOSES)]) for i, c in enumerate(customers)]
    session.add(trip)
    session.flush()
    return trip
