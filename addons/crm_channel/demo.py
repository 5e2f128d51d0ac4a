"""Demo channel for `kehu init --demo`: a pharmaceutical distributor network in 华南分公司
(SOUTH) — 3 tier-1 and 20 tier-2 distributors, 300 terminals, 40 products — with a year of
orders, shipments, flow data, periods and computed channel stock, agreements, plans, a
rebate policy, 窜货 cases and terminal requests; a smaller network in the first division.

Everything is written with bulk INSERTs (one executemany per table) and the stock with
the addon's own set-based calculation, so `kehu init --demo` stays quick. Skipped where
channel customers exist already.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.inventory import compute_stock
from addons.crm_channel.models import (
    Agreement,
    AgreementLine,
    AuthorisedProduct,
    FlowImport,
    FlowLine,
    Inspection,
    OpeningStock,
    Order,
    OrderLine,
    OrderPlan,
    Period,
    RebatePolicy,
    RebateTier,
    Shipment,
    ShipmentLine,
    StockReport,
    SupplierLink,
    TerminalRequest,
    TerminalRequestLine,
    Territory,
)
from addons.crm_channel.rebates import compute_rebates
from addons.crm_customer.models import Customer, Product
from core.auth.passwords import hash_password
from core.context import Actor
from core.models import Division, Region, Role, User
from core.org import add_department
from core.orm import utcnow

SEED = 15
PRODUCTS = [  # name, spec, list price (yuan per box)
    ("阿莫西林胶囊", "0.25g×24粒", "18.50"), ("头孢克肟分散片", "0.1g×6片", "32.00"),
    ("布洛芬缓释胶囊", "0.3g×20粒", "22.80"), ("连花清瘟胶囊", "0.35g×36粒", "28.60"),
    ("蒙脱石散", "3g×10袋", "19.90"), ("奥美拉唑肠溶胶囊", "20mg×14粒", "26.50"),
    ("阿托伐他汀钙片", "20mg×7片", "45.00"), ("硝苯地平控释片", "30mg×7片", "38.20"),
    ("二甲双胍缓释片", "0.5g×30片", "24.00"), ("氯雷他定片", "10mg×6片", "16.80"),
    ("复方甘草片", "100片", "9.50"), ("藿香正气水", "10ml×10支", "12.80"),
    ("板蓝根颗粒", "10g×20袋", "15.60"), ("感冒灵颗粒", "10g×9袋", "14.50"),
    ("维生素C片", "0.1g×100片", "6.80"), ("葡萄糖酸钙口服液", "10ml×12支", "29.90"),
    ("阿奇霉素片", "0.25g×6片", "27.40"), ("左氧氟沙星片", "0.5g×4片", "21.30"),
    ("氨溴索口服液", "100ml", "23.50"), ("复方丹参滴丸", "27mg×180丸", "33.00"),
    ("苯磺酸氨氯地平片", "5mg×7片", "29.80"), ("缬沙坦胶囊", "80mg×7粒", "36.50"),
    ("格列美脲片", "2mg×30片", "41.20"), ("瑞舒伐他汀钙片", "10mg×7片", "52.00"),
    ("多潘立酮片", "10mg×30片", "17.60"), ("乳酸菌素片", "0.4g×36片", "13.80"),
    ("双氯芬酸钠缓释片", "75mg×10片", "19.50"), ("云南白药气雾剂", "85g+30g", "48.00"),
    ("健胃消食片", "0.8g×32片", "12.50"), ("六味地黄丸", "200丸", "25.00"),
    ("银黄颗粒", "4g×12袋", "16.20"), ("小儿氨酚黄那敏颗粒", "6g×10袋", "14.90"),
    ("红霉素软膏", "10g", "5.50"), ("开塞露", "20ml×2支", "4.80"),
    ("碘伏消毒液", "100ml", "8.90"), ("医用外科口罩", "10只", "9.90"),
    ("电子体温计", "1支", "35.00"), ("创可贴", "100片", "18.00"),
    ("金银花露", "340ml", "6.50"), ("枸橼酸西地那非片", "50mg×1片", "99.00"),
]
TIER1 = [("国药控股广州有限公司", "国药广州", "440100"),
         ("广州医药股份有限公司", "广药", "440100"),
         ("华润广东医药有限公司", "华润广东", "440300")]
CITIES = ["440100", "440300", "440600", "441900", "442000", "440400", "440700", "441300",
          "440500", "445100"]
TIER2_WORDS = ["康泰", "仁和", "百草", "华康", "永安", "济民", "天和", "南粤", "泰和", "恒通"]
CHAINS = ["大参林", "老百姓大药房", "益丰大药房", "一心堂", "海王星辰", "采芝林"]
STREETS = ["天河", "越秀", "海珠", "番禺", "白云", "南山", "福田", "宝安", "禅城", "南海", "莞城",
           "石岐", "香洲", "蓬江", "惠城", "金平", "湘桥", "龙华", "黄埔", "顺德"]
SOUTH_TEAM = [  # login, name, department, roles, province regions
    ("luo.bin", "罗斌", "CH", ["sales_manager"], ["440000"]),
    ("wu.ting", "吴婷", "CH-GZ", ["sales_rep"], []),
    ("xie.peng", "谢鹏", "CH-GZ", ["sales_rep"], []),
    ("zhong.li", "钟丽", "FIN", ["finance"], []),
    ("liang.hua", "梁华", "CH", ["general_manager"], []),
    ("erp.south", "ERP 接口（华南）", "FIN", ["integration"], []),
]


@dataclass
class Network:
    """What the demo made in one division, for the documents that follow."""

    division: Division
    rng: random.Random
    owners: list[int]
    manager: int
    products: list[tuple[int, str, Decimal]] = field(default_factory=list)  # id, code, price
    tier1: list[int] = field(default_factory=list)
    tier2: list[int] = field(default_factory=list)
    terminals: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    upstream: dict[int, int] = field(default_factory=dict)
    owner_of: dict[int, int] = field(default_factory=dict)


def _stamps(division_id: int, user_id: int | None = None) -> dict[str, Any]:
    now = utcnow()
    return {"division_id": division_id, "version": 1, "create_date": now, "write_date": now,
            "create_uid": user_id, "write_uid": user_id}


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in one executemany and return their ids, in order."""
    if not rows:
        return []
    table = model.__table__
    result = session.execute(sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
                             rows)
    return [row[0] for row in result]


def _months(count: int) -> list[dt.date]:
    """The first days of the last `count` full months, oldest first."""
    first = dt.date.today().replace(day=1)
    months = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def south_team(session: Session, division: Division) -> dict[str, int]:
    """The SOUTH division's channel team (the kernel's demo staffs the first two only)."""
    found = dict(session.execute(sa.select(User.login, User.id).where(
        User.login.in_([row[0] for row in SOUTH_TEAM]))).all())
    if found:
        return found
    roles = {r.code: r for r in session.scalars(sa.select(Role))}
    regions = {r.code: r for r in session.scalars(sa.select(Region).where(
        Region.level == "province"))}
    channel = add_department(session, division=division, code="CH", name="渠道部")
    team = add_department(session, division=division, code="CH-GZ", name="广州渠道组",
                          parent=channel)
    finance = add_department(session, division=division, code="FIN", name="财务部")
    departments = {"CH": channel, "CH-GZ": team, "FIN": finance}
    import os

    from core.demo import DEFAULT_DEMO_PASSWORD

    password = hash_password(os.environ.get("KEHU_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD))
    made: dict[str, int] = {}
    for login, name, department, codes, provinces in SOUTH_TEAM:
        user = User(login=login, name=name, division_id=division.id, password_hash=password,
                    department_id=departments[department].id, email=f"{login}@example.cn")
        user.roles = [roles[code] for code in codes if code in roles]
        user.regions = [regions[code] for code in provinces if code in regions]
        session.add(user)
        session.flush()
        made[login] = user.id
    channel.manager_id = team.manager_id = made["luo.bin"]
    finance.manager_id = made["zhong.li"]
    session.flush()
    return made


def _products(session: Session, net: Network, count: int) -> None:
    rows = [{"code": f"YP{index + 1:03d}", "name": name, "spec": spec, "unit": "盒",
             "price": Decimal(price), "floor_price": Decimal(price) * Decimal("0.7"),
             "active": True, **_stamps(net.division.id)}
            for index, (name, spec, price) in enumerate(PRODUCTS[:count])]
    ids = _insert(session, Product, rows)
    net.products = [(id_, row["code"], row["price"]) for id_, row in zip(ids, rows, strict=True)]


# What a distributor's open orders may reach (订货信用额度); terminals order through them.
CREDIT_LIMITS = {"tier1": Decimal("3000000"), "tier2": Decimal("200000")}


def _customer(net: Network, regions: dict[str, int], code: str, name: str, tier: str,
              city: str, owner: int, upstream: int | None, aliases: str | None) -> dict[str, Any]:
    return {"code": code, "name": name, "status": "formal", "owner_id": owner,
            "region_id": regions.get(city), "trade": "indirect", "channel_tier": tier,
            "channel_credit_limit": CREDIT_LIMITS.get(tier),
            "upstream_id": upstream, "aliases": aliases, "not_duplicate": False,
            "owner_since": utcnow(), **_stamps(net.division.id)}


def _customers(session: Session, net: Network, sizes: tuple[int, int, int]) -> None:
    regions = dict(session.execute(sa.select(Region.code, Region.id)).all())
    rng = net.rng
    tier1_rows = [_customer(net, regions, f"QD1-{i + 1:02d}", name, "tier1", city,
                            net.manager, None, alias)
                  for i, (name, alias, city) in enumerate(TIER1[:sizes[0]])]
    net.tier1 = _insert(session, Customer, tier1_rows)
    tier2_rows = []
    for index in range(sizes[1]):
        city = CITIES[index % len(CITIES)]
        name = f"{_city_name(city)}{TIER2_WORDS[index % len(TIER2_WORDS)]}医药有限公司"
        if index >= len(TIER2_WORDS):
            name = name.replace("医药有限公司", "药业有限公司")
        upstream = net.tier1[index % len(net.tier1)]
        tier2_rows.append(_customer(net, regions, f"QD2-{index + 1:02d}", name, "tier2", city,
                                    net.owners[index % len(net.owners)], upstream, None))
    net.tier2 = _insert(session, Customer, tier2_rows)
    terminal_rows = []
    for index in range(sizes[2]):
        street = STREETS[index % len(STREETS)]
        if index % 10 == 9:
            name, alias = f"{_city_name(CITIES[index % 10])}第{index // 10 + 1}人民医院", None
        else:
            chain = CHAINS[index % len(CHAINS)]
            name = f"{chain}{street}{index // 20 + 1}店"
            alias = f"{chain}（{street}{index // 20 + 1}）" if index % 3 == 0 else None
        sellers = net.tier2 if index % 4 else net.tier1
        upstream = sellers[rng.randrange(len(sellers))]
        terminal_rows.append(_customer(net, regions, f"ZD-{index + 1:04d}", name, "terminal",
                                       CITIES[index % 10], net.owners[index % len(net.owners)],
                                       upstream, alias))
    net.terminals = _insert(session, Customer, terminal_rows)
    for ids, rows in ((net.tier1, tier1_rows), (net.tier2, tier2_rows),
                      (net.terminals, terminal_rows)):
        for id_, row in zip(ids, rows, strict=True):
            net.names[id_] = row["name"]
            net.owner_of[id_] = row["owner_id"]
            if row["upstream_id"]:
                net.upstream[id_] = row["upstream_id"]


def _city_name(code: str) -> str:
    return {"440100": "广州", "440300": "深圳", "440600": "佛山", "441900": "东莞",
            "442000": "中山", "440400": "珠海", "440700": "江门", "441300": "惠州",
            "440500": "汕头", "445100": "潮州"}[code]


def _network_rows(session: Session, net: Network, start: dt.date) -> None:
    regions = dict(session.execute(sa.select(Region.code, Region.id)).all())
    stamps = _stamps(net.division.id, net.manager)
    _insert(session, SupplierLink, [
        {"customer_id": customer, "upstream_id": upstream, "date_from": start,
         "date_to": None, **stamps} for customer, upstream in net.upstream.items()])
    _insert(session, Territory, [
        {"distributor_id": distributor, "region_id": regions[city], **stamps}
        for index, distributor in enumerate(net.tier1)
        for city in CITIES[index::len(net.tier1)]])
    # Tier-1 distributors carry every product, tier-2 two in three (授权产品).
    _insert(session, AuthorisedProduct, [
        {"distributor_id": distributor, "product_id": product, "date_from": start,
         "date_to": None, **stamps}
        for distributor in [*net.tier1, *net.tier2]
        for index, (product, _code, _price) in enumerate(net.products)
        if distributor in net.tier1 or index % 3 != 2])


def _agreements(session: Session, net: Network, start: dt.date) -> dict[int, Decimal]:
    """An agreement in force per tier-1 distributor; the supply prices by product."""
    stamps = _stamps(net.division.id, net.manager)
    end = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
    ids = _insert(session, Agreement, [
        {"number": f"XY-{start:%Y%m}-{index + 1:04d}", "distributor_id": distributor,
         "year": start.year, "date_from": start, "date_to": end, "owner_id": net.manager,
         "state": "approved", "target_amount": Decimal("3000000"), **stamps}
        for index, distributor in enumerate(net.tier1)])
    prices = {product: (price * Decimal("0.78")).quantize(Decimal("0.01"))
              for product, _code, price in net.products}
    _insert(session, AgreementLine, [
        {"agreement_id": agreement, "product_id": product, "supply_price": prices[product],
         "min_resale_price": (price * Decimal("0.92")).quantize(Decimal("0.01")),
         "min_quantity": 10, "q1": 600, "q2": 600, "q3": 650, "q4": 700, **stamps}
        for agreement in ids for product, _code, price in net.products])
    return prices


def _orders(session: Session, net: Network, months: list[dt.date],
            prices: dict[int, Decimal]) -> None:
    """Three orders a month per tier-1 distributor; the older ones shipped and closed."""
    rng, stamps = net.rng, _stamps(net.division.id, net.manager)
    orders, lines, shipments, shipment_lines = [], [], [], []
    number = 0
    last = months[-1]
    for month in months:
        for distributor in net.tier1:
            for day in (3, 12, 22):
                number += 1
                date = month.replace(day=day)
                state = "closed" if month < last else ("shipped", "processed", "approved")[
                    (day // 10) % 3]
                picked = rng.sample(net.products, 6)
                order_lines = [(product, rng.randrange(150, 500, 10)) for product, _c, _p in picked]
                total = sum((prices[p] * q for p, q in order_lines), Decimal("0"))
                orders.append({"number": f"DH-{date:%Y%m}-{number:04d}", "state": state,
                               "distributor_id": distributor, "order_date": date,
                               "owner_id": net.manager, "total": total,
                               "erp_order_no": f"SO{date:%y%m}{number:05d}"
                               if state != "approved" else None,
                               "received_on": date + dt.timedelta(days=5)
                               if state == "closed" else None, **stamps})
                shipped = state in ("closed", "shipped")
                lines.append([{"product_id": p, "quantity": q, "price": prices[p],
                               "amount": prices[p] * q, "order_date": date,
                               "shipped_qty": q if shipped else 0,
                               "backorder_qty": 0 if shipped else q, "returned_qty": 0,
                               **stamps} for p, q in order_lines])
                if shipped:
                    shipments.append({"distributor_id": distributor, "delivery_no":
                                      f"FH{date:%y%m}{number:05d}", "outbound_no":
                                      f"CK{date:%y%m}{number:05d}",
                                      "ship_date": date + dt.timedelta(days=2), **stamps})
                    shipment_lines.append([{"distributor_id": distributor,
                                            "ship_date": date + dt.timedelta(days=2),
                                            "product_id": p, "quantity": q,
                                            "amount": prices[p] * q,
                                            "batch": f"B{date:%y%m}{p % 7}", **stamps}
                                           for p, q in order_lines])
                else:
                    shipments.append({})
                    shipment_lines.append([])
    order_ids = _insert(session, Order, orders)
    flat = []
    for order_id, order_lines in zip(order_ids, lines, strict=True):
        flat.extend({**line, "order_id": order_id} for line in order_lines)
    _insert(session, OrderLine, flat)
    made = [(order_id, shipment) for order_id, shipment in zip(order_ids, shipments, strict=True)
            if shipment]
    shipment_ids = _insert(session, Shipment, [{**s, "order_id": o} for o, s in made])
    flat = []
    kept = [rows for rows in shipment_lines if rows]
    for shipment_id, rows in zip(shipment_ids, kept, strict=True):
        flat.extend({**row, "shipment_id": shipment_id} for row in rows)
    _insert(session, ShipmentLine, flat)


def _flow(session: Session, net: Network, months: list[dt.date]) -> None:
    """Each distributor's monthly sell-out to its downstream customers."""
    rng, stamps = net.rng, _stamps(net.division.id, net.manager)
    downstream: dict[int, list[int]] = {}
    for customer, upstream in net.upstream.items():
        downstream.setdefault(upstream, []).append(customer)
    imports, lines = [], []
    tier2_set = set(net.tier2)
    for month in months:
        end = _month_end(month)
        for distributor in [*net.tier1, *net.tier2]:
            buyers = downstream.get(distributor, [])
            if not buyers:
                continue
            tier1 = distributor in net.tier1
            rows = []
            for buyer in buyers:
                for _ in range(2):
                    product, code, _price = net.products[rng.randrange(len(net.products))]
                    if buyer in tier2_set:
                        quantity = rng.randrange(150, 400)
                    else:
                        quantity = rng.randrange(20, 80) if tier1 else rng.randrange(3, 25)
                    rows.append({"customer_name": net.names[buyer], "customer_id": buyer,
                                 "product_name": code, "product_id": product,
                                 "sale_date": month + dt.timedelta(days=rng.randrange(
                                     (end - month).days + 1)),
                                 "batch": f"B{month:%y%m}{product % 7}", "quantity": quantity})
            imports.append(({"distributor_id": distributor, "period": f"{month:%Y-%m}",
                             "file_name": f"{net.names[distributor]}{month:%Y%m}流向.xlsx",
                             "row_count": len(rows), "unmatched_count": 0, **stamps}, rows))
    if net.tier2:  # two names nobody mapped yet, for the walkthrough
        header, rows = next(item for item in reversed(imports)
                            if item[0]["distributor_id"] == net.tier2[0])
        product, code, _price = net.products[0]
        for name in ("大参林(新港东路分店)", "广州市海珠区新港卫生院"):
            rows.append({"customer_name": name, "customer_id": None, "product_name": code,
                         "product_id": product, "sale_date": months[-1].replace(day=18),
                         "batch": f"B{months[-1]:%y%m}1", "quantity": 6})
        header["row_count"] += 2
        header["unmatched_count"] = 2
    ids = _insert(session, FlowImport, [header for header, _rows in imports])
    for import_id, (header, rows) in zip(ids, imports, strict=True):
        lines.extend({**row, "import_id": import_id, "distributor_id": header["distributor_id"],
                      "period": header["period"], **stamps} for row in rows)
    _insert(session, FlowLine, lines)


def _stock(session: Session, net: Network, months: list[dt.date]) -> None:
    """Periods, opening stock, stock computed month by month; all but the last two closed."""
    stamps = _stamps(net.division.id, net.manager)
    period_ids = _insert(session, Period, [
        {"code": f"{m:%Y-%m}", "date_from": m, "date_to": _month_end(m), "state": "open",
         **stamps} for m in months])
    _insert(session, OpeningStock, [
        {"period_id": period_ids[0], "distributor_id": d, "product_id": p,
         "quantity": 400 if d in net.tier1 else 15, **stamps}
        for d in [*net.tier1, *net.tier2] for p, _c, _price in net.products])
    actor = Actor(user_id=net.manager, division_id=net.division.id)
    for period_id in period_ids:
        compute_stock(session, session.get(Period, period_id), actor)
    last_closed = period_ids[-3]
    closing = session.execute(sa.text(
        "SELECT distributor_id, product_id, closing FROM crm_channel_stock "
        "WHERE period_id = :p"), {"p": last_closed}).all()
    _insert(session, StockReport, [
        {"period_id": last_closed, "distributor_id": d, "product_id": p,
         "quantity": max(q + net.rng.choice((0, 0, 0, -5, 8)), 0), **stamps}
        for d, p, q in closing if d in net.tier1])
    compute_stock(session, session.get(Period, last_closed), actor)
    session.execute(sa.update(Period.__table__).where(Period.id.in_(period_ids[:-2]))
                    .values(state="closed"))


def _plans(session: Session, net: Network, months: list[dt.date]) -> None:
    stamps = _stamps(net.division.id, net.manager)
    _insert(session, OrderPlan, [
        {"month": f"{m:%Y-%m}", "distributor_id": d, "product_id": p,
         "quantity": 180 + 10 * (index % 5), "owner_id": net.manager, **stamps}
        for m in [*months[-3:], (months[-1] + dt.timedelta(days=32)).replace(day=1)]
        for d in net.tier1 for index, (p, _c, _price) in enumerate(net.products[:15])])


def _cases(session: Session, net: Network, months: list[dt.date]) -> None:
    """窜货 cases, a rebate policy with tiers and its last quarter, terminal requests."""
    stamps = _stamps(net.division.id, net.manager)
    regions = dict(session.execute(sa.select(Region.code, Region.id)).all())
    month = months[-2]
    product = net.products[1][0]
    _insert(session, Inspection, [
        {"found_on": month.replace(day=16), "product_id": product,
         "batch": f"B{month:%y%m}{product % 7}", "region_id": regions.get("450100"),
         "place": "南宁市青秀区某连锁药店", "distributor_id": net.tier2[0] if net.tier2 else None,
         "traced": True, "quantity": 120, "finding": "低于最低限价跨区销售",
         "penalty": Decimal("20000"), "owner_id": net.manager, "state": "approved", **stamps},
        {"found_on": months[-1].replace(day=8), "product_id": net.products[3][0],
         "batch": None, "region_id": regions.get("430100"), "place": "长沙市五一广场药店",
         "distributor_id": None, "traced": False, "quantity": 40, "finding": "来源待查",
         "penalty": None, "owner_id": net.owners[0], "state": "draft", **stamps}])
    policy = _insert(session, RebatePolicy, [
        {"name": "一级商业年度进货返利", "tier": "tier1", "distributor_id": None,
         "basis": "purchases", "date_from": months[0], "date_to": _month_end(months[-1]),
         "active": True, **stamps}])[0]
    _insert(session, RebateTier, [
        {"policy_id": policy, "threshold": Decimal(threshold), "rate": Decimal(rate), **stamps}
        for threshold, rate in (("0", "0.5"), ("200000", "1.0"), ("400000", "1.5"))])
    quarter = f"{months[-1].year}-Q{(months[-1].month - 1) // 3}"
    if not quarter.endswith("Q0"):
        compute_rebates(session, session.get(RebatePolicy, policy),
                        quarter, Actor(user_id=net.manager, division_id=net.division.id))
    requests = _insert(session, TerminalRequest, [
        {"terminal_id": terminal, "distributor_id": net.upstream.get(terminal),
         "request_date": dt.date.today(), "owner_id": net.owner_of[terminal], "state": "draft",
         "note": "门店缺货，请尽快安排", **stamps} for terminal in net.terminals[1:4]])
    _insert(session, TerminalRequestLine, [
        {"request_id": request, "product_id": net.products[index][0], "quantity": 20, **stamps}
        for request in requests for index in range(2)])


def build(session: Session, division: Division, *, owners: list[int], manager: int,
          sizes: tuple[int, int, int], products: int, months: int) -> Network:
    """One division's demo network and a year (or `months`) of its documents."""
    net = Network(division=division, rng=random.Random(SEED + division.id), owners=owners,
                  manager=manager)
    calendar = _months(months)
    _products(session, net, products)
    _customers(session, net, sizes)
    _network_rows(session, net, calendar[0])
    prices = _agreements(session, net, calendar[0])
    _orders(session, net, calendar, prices)
    _flow(session, net, calendar)
    _stock(session, net, calendar)
    _plans(session, net, calendar)
    _cases(session, net, calendar)
    return net


def _hq_people(session: Session, division: Division) -> tuple[list[int], int] | None:
    people = dict(session.execute(sa.select(User.login, User.id).where(
        User.division_id == division.id,
        User.login.in_(("huang.min", "lin.feng", "he.xin")))).all())
    if len(people) < 3:
        return None
    return [people["lin.feng"], people["he.xin"]], people["huang.min"]


def create_demo_channel(session: Session, divisions: Iterable[Division]) -> None:
    """The demo networks (see the module docstring); skipped when one exists."""
    if session.scalar(sa.select(Customer.id).where(Customer.channel_tier.is_not(None))
                      .limit(1)) is not None:
        return
    by_code = {division.code: division for division in divisions}
    south = by_code.get("SOUTH")
    if south is not None:
        team = south_team(session, south)
        build(session, south, owners=[team["wu.ting"], team["xie.peng"]],
              manager=team["luo.bin"], sizes=(3, 20, 300), products=40, months=12)
    first = next(iter(by_code.values()), None)
    people = _hq_people(session, first) if first is not None else None
    if first is not None and people is not None and first is not south:
        build(session, first, owners=people[0], manager=people[1], sizes=(1, 4, 30),
              products=10, months=6)
    session.flush()

