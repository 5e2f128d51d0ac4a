"""Demo deals for `kehu init --demo`: 3,000 opportunities over both sales modes and every
stage, with their stage history, plus leads, visits, quotes and a quarter's targets.
Closed deals closed within the last half year; the targets are sized on them (#18).

Everything is bulk-inserted (one executemany per table), so the demo loads in
seconds; the values the flush would fill (probability, placement, history) are
written here directly.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer, Product
from addons.crm_funnel.models import (
    ASSIGNED,
    LOST,
    OPEN,
    POOL,
    WON,
    Contract,
    Lead,
    LostReason,
    Opportunity,
    Quote,
    QuoteLine,
    SalesMode,
    SalesTarget,
    Stage,
    StageMove,
    Visit,
)
from core.lookups import usable_in
from core.models import Division, User, user_role
from core.orm import utcnow

TOTAL = 3000
_PROJECTS = ["信号系统", "综合监控", "安防升级", "楼宇自控", "配电改造", "污水处理", "泵站改造",
             "生产线自动化", "仓储物流系统", "能源管理平台", "医疗设备采购", "数据中心机房"]
_PLACES = ["一期", "二期", "扩建", "新建", "改造", "三期"]
_PRODUCTS = [("D-PLC", "可编程控制器 PLC-800", "18000", "15000"),
             ("D-VFD", "智能变频器 VF-55", "9800", "8200"),
             ("D-HMI", "触摸屏 HMI-10", "4200", "3500"),
             ("D-SW", "配电开关柜 KYN-28", "56000", "48000"),
             ("D-PUMP", "智能变频水泵", "12500", "10500"),
             ("D-MON", "病人监护仪 PM-9", "36000", "30000")]


def _reps(session: Session, division: Division) -> list[User]:
    return list(session.scalars(
        sa.select(User).join(user_role, user_role.c.user_id == User.id)
        .where(User.division_id == division.id, user_role.c.role == "sales_rep")
        .order_by(User.id)))


def _stages(session: Session, division: Division) -> dict[int, list[Stage]]:
    by_mode: dict[int, list[Stage]] = defaultdict(list)
    for stage in session.scalars(sa.select(Stage).join(SalesMode).where(
            usable_in(Stage, division.id), Stage.active.is_(True))
            .order_by(Stage.sequence)):
        by_mode[stage.sales_mode_id].append(stage)
    return by_mode


def _deal_rows(rng: random.Random, division: Division, reps: list[User],
               customers: list[Customer], stages: dict[int, list[Stage]], count: int,
               reasons: list[int]) -> tuple[list[dict[str, Any]], list[list[Stage]]]:
    today = dt.date.today()
    by_owner: dict[int | None, list[Customer]] = defaultdict(list)
    for customer in customers:
        by_owner[customer.owner_id].append(customer)
    rows, paths = [], []
    modes = sorted(stages)
    for number in range(count):
        rep = reps[number % len(reps)]
        customer = rng.choice(by_owner.get(rep.id) or customers)
        pipeline = stages[rng.choice(modes)]
        state = rng.choices([OPEN, WON, LOST], weights=[70, 15, 15])[0]
        # A funnel: more deals in the early stages than near the contract.
        early = list(range(1, len(pipeline)))
        reached = len(pipeline) if state == WON else rng.choices(
            early, weights=[len(early) + 2 - n for n in early])[0]
        stage = pipeline[reached - 1]
        close = today + dt.timedelta(days=rng.randint(-90, 270))
        if state != OPEN:
            # A closed deal closed in the last half year (#18), evenly, not today for the
            # most: the same draw, folded into the past (the deals after it stay the same).
            close = today - dt.timedelta(days=((close - today).days + 90) // 2)
        amount = Decimal(rng.randint(5, 500) * 10_000 + rng.choice([0, 5_000]))
        rows.append({
            "division_id": division.id, "version": 1,
            "name": f"{customer.name[:4]}{rng.choice(_PROJECTS)}{rng.choice(_PLACES)}",
            "customer_id": customer.id, "sales_mode_id": stage.sales_mode_id,
            "stage_id": stage.id, "amount": amount, "expected_close": close,
            "probability": {OPEN: stage.probability, WON: 100, LOST: 0}[state],
            "owner_id": rep.id, "create_uid": rep.id, "write_uid": rep.id,
            "department_id": rep.department_id,
            "region_id": customer.region_id, "product_line_id": customer.product_line_id,
            "state": state, "stage_date": utcnow() - dt.timedelta(days=rng.randint(0, 60)),
            "closed_on": None if state == OPEN else close,
            "lost_reason_id": rng.choice(reasons) if state == LOST and reasons else None,
        })
        paths.append(pipeline[:reached])
    return rows, paths


def _history(ids: list[int], rows: list[dict[str, Any]],
             paths: list[list[Stage]]) -> list[dict[str, Any]]:
    moves = []
    for deal_id, row, path in zip(ids, rows, paths, strict=True):
        moved = row["stage_date"] - dt.timedelta(days=10 * (len(path) - 1))
        previous = None
        for stage in path:
            moves.append({"division_id": row["division_id"], "version": 1,
                          "opportunity_id": deal_id, "from_stage_id": previous,
                          "to_stage_id": stage.id, "user_id": row["owner_id"],
                          "moved_at": moved, "dwell_seconds": None if previous is None
                          else 10 * 86400})
            previous = stage.id
            moved += dt.timedelta(days=10)
    return moves


def _products(session: Session, division: Division) -> list[Product]:
    have = {p.code: p for p in session.scalars(
        sa.select(Product).where(usable_in(Product, division.id)))}
    missing = [{"division_id": None, "version": 1, "code": code, "name": name,
                "price": Decimal(price), "floor_price": Decimal(floor)}
               for code, name, price, floor in _PRODUCTS if code not in have]
    if missing:
        session.execute(sa.insert(Product), missing)
    return list(session.scalars(sa.select(Product).where(usable_in(Product, division.id))))


def _quotes(session: Session, rng: random.Random, division: Division, deals: list[dict[str, Any]],
            ids: list[int], products: list[Product]) -> None:
    picked = rng.sample(range(len(ids)), min(150, len(ids)))
    headers, lines = [], []
    for index, position in enumerate(picked, start=1):
        deal = deals[position]
        product = rng.choice(products)
        price = (product.price or Decimal(1000)) * Decimal(rng.choice([85, 95, 100])) / 100
        quantity = rng.randint(2, 40)
        headers.append({"division_id": division.id, "version": 1,
                        "number": f"BJ-DEMO-{division.id}-{index:04d}",
                        "customer_id": deal["customer_id"], "opportunity_id": ids[position],
                        "quote_date": dt.date.today() - dt.timedelta(days=rng.randint(0, 120)),
                        "state": "approved" if deal["state"] == WON else "draft",
                        "total": price * quantity, "owner_id": deal["owner_id"],
                        "department_id": deal["department_id"], "region_id": deal["region_id"],
                        "product_line_id": deal["product_line_id"]})
        lines.append((product.id, quantity, price))
    quote_ids = list(session.scalars(
        sa.insert(Quote).returning(Quote.id, sort_by_parameter_order=True), headers))
    session.execute(sa.insert(QuoteLine), [
        {"division_id": division.id, "version": 1, "quote_id": quote_id, "product_id": product,
         "quantity": quantity, "price": price, "amount": price * quantity}
        for quote_id, (product, quantity, price) in zip(quote_ids, lines, strict=True)])


def _contracts(division: Division, deals: list[dict[str, Any]],
               ids: list[int]) -> list[dict[str, Any]]:
    rows = []
    for deal, deal_id in zip(deals, ids, strict=True):
        if deal["state"] != WON:
            continue
        rows.append({"division_id": division.id, "version": 1,
                     "number": f"HT-DEMO-{division.id}-{deal_id:05d}",
                     "opportunity_id": deal_id, "customer_id": deal["customer_id"],
                     "amount": deal["amount"], "signed_on": deal["closed_on"],
                     "owner_id": deal["owner_id"], "department_id": deal["department_id"],
                     "region_id": deal["region_id"], "product_line_id": deal["product_line_id"]})
    return rows


def _leads_and_visits(session: Session, rng: random.Random, division: Division,
                      reps: list[User], customers: list[Customer]) -> None:
    today = dt.date.today()
    leads = []
    for number in range(60):
        customer = rng.choice(customers)
        rep = rng.choice(reps) if number % 3 else None
        leads.append({"division_id": division.id, "version": 1,
                      "name": f"{rng.choice(_PROJECTS)}需求", "company": customer.name,
                      "contact_name": rng.choice(["周建国", "陈明", "刘芳", "孙丽", "吴涛"]),
                      "phone": f"139{rng.randint(10_000_000, 99_999_999)}",
                      "region_id": customer.region_id, "product_line_id": customer.product_line_id,
                      "owner_id": rep.id if rep else None,
                      "department_id": rep.department_id if rep else None,
                      "state": ASSIGNED if rep else POOL,
                      "assigned_at": utcnow() if rep else None,
                      "deadline": today + dt.timedelta(days=rng.randint(-5, 5)) if rep else None,
                      "amount": Decimal(rng.randint(10, 300) * 10_000)})
    session.execute(sa.insert(Lead), leads)
    visits = []
    for number in range(400):
        rep = reps[number % len(reps)]
        customer = rng.choice(customers)
        visits.append({"division_id": division.id, "version": 1,
                       "visited_on": today - dt.timedelta(days=rng.randint(0, 180)),
                       "kind": rng.choice(["visit", "visit", "meeting", "call"]),
                       "customer_id": customer.id, "summary": rng.choice(
                           ["技术交流", "方案汇报", "商务洽谈", "现场勘查", "回访"]),
                       "owner_id": rep.id, "department_id": rep.department_id,
                       "region_id": customer.region_id})
    session.execute(sa.insert(Visit), visits)


def _targets(division: Division, reps: list[User],
             deals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """This quarter's target of each rep, sized on what the demo has them win (#18).

    Closed deals spread evenly over the last half year, so a rep's usual quarter is half
    of what they won in it: the target asks that at least, and more where the quarter so
    far went well. Achievement grows with the quarter and ends at 55-105% (a rep's pick).
    """
    today = dt.date.today()
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = (dt.date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
           - dt.timedelta(days=1))
    won: dict[int, Decimal] = defaultdict(Decimal)
    so_far: dict[int, Decimal] = defaultdict(Decimal)
    for deal in deals:
        if deal["state"] == WON:
            won[deal["owner_id"]] += deal["amount"]
            if deal["closed_on"] >= start:
                so_far[deal["owner_id"]] += deal["amount"]
    pick = random.Random(20261124 + division.id)  # its own stream: the deals stay as they were
    rows = []
    for rep in reps:
        wanted = max(so_far[rep.id] / Decimal(str(round(pick.uniform(0.55, 1.05), 2))),
                     won[rep.id] / 2, Decimal(1_000_000))
        amount = (wanted / 100_000).to_integral_value(rounding=ROUND_CEILING) * 100_000
        rows.append({"division_id": division.id, "version": 1, "period_start": start,
                     "period_end": end, "department_id": rep.department_id, "user_id": rep.id,
                     "amount": amount})
    return rows


def create_demo_funnel(session: Session, divisions: list[Division], *, total: int = TOTAL) -> None:
    """Spread `total` opportunities over the divisions that have reps and customers.

    Divisions that have opportunities already are left alone (the demo may load twice).
    """
    rng = random.Random(20261124)
    usable = []
    for division in divisions:
        reps = _reps(session, division)
        customers = list(session.scalars(sa.select(Customer).where(
            Customer.division_id == division.id).order_by(Customer.id)))
        has_deals = session.scalar(sa.select(sa.func.count()).select_from(Opportunity)
                                   .where(Opportunity.division_id == division.id))
        if reps and customers and not has_deals:
            usable.append((division, reps, customers))
    for index, (division, reps, customers) in enumerate(usable):
        count = total // len(usable) + (1 if index < total % len(usable) else 0)
        reasons = list(session.scalars(sa.select(LostReason.id).where(
            usable_in(LostReason, division.id))))
        rows, paths = _deal_rows(rng, division, reps, customers, _stages(session, division),
                                 count, reasons)
        ids = list(session.scalars(sa.insert(Opportunity).returning(
            Opportunity.id, sort_by_parameter_order=True), rows))
        session.execute(sa.insert(StageMove), _history(ids, rows, paths))
        contracts = _contracts(division, rows, ids)
        if contracts:
            session.execute(sa.insert(Contract), contracts)
        _quotes(session, rng, division, rows, ids, _products(session, division))
        _leads_and_visits(session, rng, division, reps, customers)
        session.execute(sa.insert(SalesTarget), _targets(division, reps, rows))
