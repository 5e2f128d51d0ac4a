"""Demo data for `kehu init --demo`: 1,000 customers with contacts, products, tickets and
the reps' activities (to-dos due today and overdue, #18).

Customers are spread over the divisions by the size of their sales teams (a
division without reps gets a few pool customers), placed in the provinces of
the demo reps (core/demo.py), one in eight in the public pool. Everything goes
in with one executemany per table.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import (
    Contact,
    Customer,
    CustomerType,
    Industry,
    LeadSource,
    ProblemType,
    Product,
    ProductCategory,
    Ticket,
)
from addons.crm_customer.names import (
    CITIES,
    ROLES,
    STEMS,
    TITLES,
    TRADES,
    Company,
    companies,
    mobile,
    person,
)
from addons.crm_customer.tickets import default_due
from core.audit import Activity
from core.lookups import usable_in
from core.models import Division, ProductLine, Region, User, user_role
from core.orm import utcnow

TOTAL = 1_000
# code, name, parent code
CATEGORIES = [
    ("A", "自动化产品", None), ("A01", "变频器", "A"), ("A0101", "低压变频器", "A01"),
    ("A0102", "中压变频器", "A01"), ("A02", "可编程控制器", "A"), ("A0201", "小型 PLC", "A02"),
    ("B", "电力设备", None), ("B01", "开关柜", "B"), ("B0101", "中压开关柜", "B01"),
    ("C", "医疗器械", None), ("C01", "监护设备", "C"), ("C0101", "病人监护仪", "C01"),
]
# code, name, spec, model, unit, category, product line, price, floor price
PRODUCTS = [
    ("VFD-G7-15", "G7 系列通用变频器", "15kW 380V", "G7-015T4", "台", "A0101", "PL-AUTO", "6880", "5990"),
    ("VFD-G7-55", "G7 系列通用变频器", "55kW 380V", "G7-055T4", "台", "A0101", "PL-AUTO", "19800", "17200"),
    ("VFD-M3-1K", "M3 中压变频器", "1000kW 10kV", "M3-1000", "套", "A0102", "PL-AUTO", "386000", "340000"),
    ("PLC-S2-24", "S2 小型 PLC", "24 点 继电器输出", "S2-24MR", "台", "A0201", "PL-AUTO", "1650", "1380"),
    ("KYN28-12", "KYN28 中置式开关柜", "12kV 1250A", "KYN28A-12", "面", "B0101", "PL-POWER", "52000", "46000"),
    ("PM-9000", "PM-9000 病人监护仪", "12.1 英寸 六参数", "PM-9000", "台", "C0101", "PL-MED", "36000", "30500"),
]
TICKET_SUBJECTS = [
    ("complaint", "QUALITY", "变频器运行中频繁报过压故障"),
    ("complaint", "DELIVERY", "合同约定交货期已过两周仍未到货"),
    ("inquiry", "TECH", "咨询 PLC 与上位机通讯协议配置"),
    ("inquiry", "PRICE", "询问年度框架协议价格"),
    ("suggestion", "INSTALL", "建议安装前提供现场勘察清单"),
    ("complaint", "ATTITUDE", "售后工程师未按约定时间到场"),
]
TICKET_STATES = ["new", "assigned", "assigned", "resolved", "confirmed", "closed", "closed"]
# kind, summary: the calls, visits and follow-ups a rep plans on their customers (#18)
ACTIVITIES = [
    ("call", "电话回访：确认设备运行情况"),
    ("call", "跟进合同回款进度"),
    ("visit", "上门拜访：技术交流"),
    ("visit", "现场勘查，确认安装条件"),
    ("task", "发送报价单及技术方案"),
    ("task", "整理招标文件并提交"),
    ("meeting", "方案评审会"),
    ("call", "邀约参加新品发布会"),
]
# Days from the day the demo loads: two overdue, three due today, a week of plans ahead.
ACTIVITY_DUE = [-3, -1, 0, 0, 0, 2, 5, 9]


def _reps(session: Session, division: Division) -> list[User]:
    return list(session.scalars(
        sa.select(User).join(user_role, user_role.c.user_id == User.id)
        .where(User.division_id == division.id, user_role.c.role == "sales_rep")
        .order_by(User.id)))


def _shares(counts: list[int], total: int) -> list[int]:
    """`total` split in proportion to `counts` (+1 each, so no division is empty)."""
    weights = [count + 1 for count in counts]
    shares = [total * weight // sum(weights) for weight in weights]
    shares[0] += total - sum(shares)
    return shares


def _ids(session: Session, model: Any, division: Division) -> list[int]:
    return list(session.scalars(sa.select(model.id).where(usable_in(model, division.id))
                                .order_by(model.id)))


def _region_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(sa.select(Region.code, Region.id)).all())


def _province(region_code: str) -> str:
    return region_code[:2] + "0000"


def _pick(made: list[Company], used: set[int], reps: list[User], share: int) -> list[Company]:
    """`share` unused companies in the provinces the division's reps cover (any, without reps)."""
    provinces = {region.code for rep in reps for region in rep.regions}
    chosen: list[Company] = []
    for company in made:
        if len(chosen) == share:
            break
        if company.number in used or (provinces and _province(company.region_code) not in provinces):
            continue
        chosen.append(company)
        used.add(company.number)
    return chosen


def _products(session: Session, division: Division) -> None:
    """The product catalogue, once for the whole company (#14)."""
    if session.scalar(sa.select(ProductCategory.id).where(
            usable_in(ProductCategory, division.id)).limit(1)) is not None:
        return
    ids: dict[str, int] = {}
    for code, name, parent in CATEGORIES:  # parents first: a row at a time, 12 rows
        ids[code] = session.execute(sa.insert(ProductCategory).values(
            division_id=None, version=1, code=code, name=name,
            parent_id=ids.get(parent) if parent else None).returning(ProductCategory.id)).scalar_one()
    lines = dict(session.execute(sa.select(ProductLine.code, ProductLine.id)).all())
    session.execute(sa.insert(Product), [
        {"division_id": None, "version": 1, "code": code, "name": name, "spec": spec,
         "model": model, "unit": unit, "category_id": ids[category],
         "product_line_id": lines.get(line), "price": Decimal(price),
         "floor_price": Decimal(floor)}
        for code, name, spec, model, unit, category, line, price, floor in PRODUCTS])


def _customer_rows(session: Session, division: Division, rng: random.Random,
                   chosen: list[Company], reps: list[User]) -> list[dict[str, Any]]:
    types = _ids(session, CustomerType, division)
    industries = _ids(session, Industry, division)
    sources = _ids(session, LeadSource, division)
    regions = _region_ids(session)
    covering: dict[str, list[User]] = defaultdict(list)
    for member in reps:
        for region in member.regions:
            covering[region.code].append(member)
    rows = []
    for index, company in enumerate(chosen):
        candidates = covering.get(_province(company.region_code), [])
        rep = candidates[index % len(candidates)] if candidates and index % 8 else None
        rows.append({
            "division_id": division.id, "version": 1, "code": f"{division.code}-C{index + 1:05d}",
            "name": company.name, "aliases": company.alias if index % 4 == 0 else None,
            "phone": company.phone, "tax_code": company.tax_code, "address": company.address,
            "owner_id": rep.id if rep else None,
            "department_id": rep.department_id if rep else None,
            "region_id": regions.get(company.region_code),
            "product_line_id": rep.product_lines[0].id if rep and rep.product_lines else None,
            "type_id": rng.choice(types) if types else None,
            "industry_id": rng.choice(industries) if industries else None,
            "source_id": rng.choice(sources) if sources else None,
            "trade": rng.choice(["direct", "direct", "indirect"]),
            "level": rng.choice("AABBBCCCCD"),
            "status": rng.choice(["to_identify", "prospect", "prospect", "opportunity",
                                  "formal", "formal", "formal", "lost"]),
            "owner_since": utcnow() - dt.timedelta(days=rng.randint(1, 60)) if rep else None,
            "pool_reason": None if rep else "新录入，待分配",
            "pool_date": None if rep else utcnow(),
            "not_duplicate": False,
        })
    return rows


def _contacts(customers: list[tuple[int, int]], rng: random.Random, start: int) -> list[dict[str, Any]]:
    rows = []
    number = start
    for customer_id, division_id in customers:
        for position in range(rng.randint(1, 3)):
            number += 1
            rows.append({"division_id": division_id, "version": 1, "customer_id": customer_id,
                         "name": person(rng), "title": TITLES[(number + position) % len(TITLES)],
                         "mobile": mobile(number), "email": None,
                         "decision_role": ROLES[number % len(ROLES)], "is_key": position == 0})
    return rows


def _tickets(session: Session, division: Division, rng: random.Random,
             customers: list[tuple[int, int]]) -> list[dict[str, Any]]:
    problems = dict(session.execute(sa.select(ProblemType.code, ProblemType.id).where(
        usable_in(ProblemType, division.id))).all())
    service = session.scalars(sa.select(User.id).join(user_role, user_role.c.user_id == User.id)
                              .where(User.division_id == division.id,
                                     user_role.c.role == "service")).all()
    rows = []
    for customer_id, _division in rng.sample(customers, min(40, len(customers))):
        kind, problem, subject = rng.choice(TICKET_SUBJECTS)
        state = rng.choice(TICKET_STATES)
        opened = utcnow() - dt.timedelta(hours=rng.randint(1, 24 * 30))
        handled = state != "new"
        rows.append({
            "division_id": division.id, "version": 1, "customer_id": customer_id, "kind": kind,
            "subject": subject, "problem_type_id": problems.get(problem),
            "channel": rng.choice(["phone", "visit", "email"]), "priority": "normal",
            "state": state, "create_date": opened, "due_at": default_due("normal", now=opened),
            "assignee_id": rng.choice(service) if handled and service else None,
            "resolution": "已上门处理并经客户确认" if state in ("resolved", "confirmed", "closed") else None,
            "resolved_at": opened + dt.timedelta(hours=20) if state in ("resolved", "confirmed", "closed") else None,
            "satisfaction": rng.choice("34455") if state == "closed" else None,
        })
    return rows


def _activities(session: Session, division: Division, reps: list[User]) -> list[dict[str, Any]]:
    """Each rep's to-dos on their own customers: overdue, due today, to come, and a few done.

    Dates count from the day the demo loads, so the workbench always has something due
    today (#18). A stream of its own keeps the customers as they were.
    """
    rng = random.Random(20261124 + division.id)
    owned: dict[int | None, list[int]] = defaultdict(list)
    for customer_id, owner_id in session.execute(
            sa.select(Customer.id, Customer.owner_id).where(
                Customer.division_id == division.id, Customer.owner_id.is_not(None))
            .order_by(Customer.id)):
        owned[owner_id].append(customer_id)
    today = dt.date.today()
    now = utcnow()
    rows = []
    for rep in reps:
        customers = owned.get(rep.id)
        if not customers:
            continue
        for offset, (kind, summary) in zip(ACTIVITY_DUE, rng.sample(ACTIVITIES, len(ACTIVITY_DUE)),
                                           strict=True):
            rows.append({"model": Customer.__tablename__, "res_id": rng.choice(customers),
                         "kind": kind, "summary": summary,
                         "due_date": today + dt.timedelta(days=offset), "assignee_id": rep.id,
                         "done": False, "done_date": None, "result": None,
                         "create_uid": rep.id,
                         "create_date": now - dt.timedelta(days=rng.randint(1, 10))})
        for days in (4, 8):  # done last week: the chatter shows a history too
            kind, summary = rng.choice(ACTIVITIES)
            rows.append({"model": Customer.__tablename__, "res_id": rng.choice(customers),
                         "kind": kind, "summary": summary,
                         "due_date": today - dt.timedelta(days=days), "assignee_id": rep.id,
                         "done": True, "done_date": now - dt.timedelta(days=days),
                         "result": "已完成，客户反馈良好", "create_uid": rep.id,
                         "create_date": now - dt.timedelta(days=days + 3)})
    return rows


def create_demo_customers(session: Session, divisions: list[Division], *,
                          total: int = TOTAL) -> None:
    """Customers with contacts, products, tickets and activities for divisions that have none yet."""
    rng = random.Random(20261124)
    empty = [d for d in divisions if session.scalar(
        sa.select(Customer.id).where(Customer.division_id == d.id).limit(1)) is None]
    if not empty:
        return
    made = list(companies(len(CITIES) * len(STEMS) * len(TRADES)))
    # 南京新星 first: the tour finds it by its pinyin initials "njxx" (#18).
    made.sort(key=lambda company: not company.alias.startswith("南京新星"))
    teams = [_reps(session, division) for division in empty]
    shares = _shares([len(team) for team in teams], total)
    used: set[int] = set()
    start = 0
    for division, share, reps in zip(empty, shares, teams, strict=True):
        _products(session, division)
        chosen = _pick(made, used, reps, share)
        rows = _customer_rows(session, division, rng, chosen, reps)
        start += len(rows)
        if not rows:
            continue
        session.execute(sa.insert(Customer), rows)
        customers = [(cid, division.id) for cid in _ids(session, Customer, division)]
        session.execute(sa.insert(Contact), _contacts(customers, rng, start * 3))
        tickets = _tickets(session, division, rng, customers)
        if tickets:
            session.execute(sa.insert(Ticket), tickets)
        activities = _activities(session, division, reps)
        if activities:
            session.execute(sa.insert(Activity), activities)
