"""Demo competitor management (#16): in every division running crm_marketing, the
competitors it meets with their company record, their products (each against one of
our products) and the moves reps reported over the year: three price cuts per
product, then a promotion. The funnel bridge then puts these competitors on deals.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Competitor, Product
from addons.crm_marketing.models import CompetitorMove, CompetitorProduct
from core.lookups import usable_in
from core.models import Division, DivisionAddon, Region, User, user_role

# name, size, strengths, weaknesses, regions, key customers,
# products (name, price, a word of the name of our product it competes with)
Rival = tuple[str, str, str, str, str, str, list[tuple[str, int, str]]]

RIVALS: dict[str, list[Rival]] = {
    # Industrial automation (总部).
    "HQ": [
        ("北京华控科技", "large", "价格低、交货快", "售后网点少", "华北、华东", "杭州地铁、宁波港",
         [("HK-200 控制柜", 12000, "开关柜"), ("HK-VF 变频器", 3800, "变频器")]),
        ("上海同创电气", "medium", "本地服务好", "产品线窄", "上海、江苏", "上汽配套厂",
         [("TC-500 配电柜", 26000, "配电开关柜")]),
        ("深圳英锐自动化", "medium", "软件功能强", "价格偏高", "华南", "比亚迪配套厂",
         [("YR-PLC 控制器", 5600, "PLC")]),
    ],
    # Medical equipment (华东).
    "EAST": [
        ("武汉恒通医疗设备", "medium", "本地关系强", "产品老旧", "湖北、湖南", "同济医院",
         [("HT-M3 监护仪", 23000, "监护仪")]),
        ("长沙锐康科技", "small", "价格灵活", "资质不全", "湖南", "湘雅附属医院",
         [("RK-100 输液泵", 6800, "监护仪")]),
    ],
    # Pharmaceutical distribution (华南): the chains and hospitals the channel team serves.
    "SOUTH": [
        ("广东康瑞制药", "large", "品种全、终端覆盖广", "学术推广弱", "广东、广西",
         "大参林、老百姓大药房", [("康瑞 阿莫西林胶囊 0.25g×24粒", 18, "阿莫西林胶囊"),
          ("康瑞 感冒灵颗粒 10袋", 15, "感冒灵颗粒")]),
        ("深圳华药生物", "medium", "返利高、促销多", "供货不稳", "深圳、东莞", "益丰大药房",
         [("华药 头孢克肟片 0.1g×6片", 32, "头孢克肟")]),
    ],
}
# Where each division's reps see the moves (province codes); others: the first's.
REGIONS = {"HQ": ("330000", "320000", "310000"), "EAST": ("420000", "430000"),
           "SOUTH": ("440000", "450000")}
# Who reports moves: the field, not finance or an interface account.
REPORTERS = ("sales_rep", "sales_manager", "marketing")


def _our_product(session: Session, division: Division, word: str) -> int | None:
    """Our product whose name holds `word`: the division's own before company-wide."""
    return session.scalar(sa.select(Product.id).where(
        usable_in(Product, division.id), Product.name.contains(word, autoescape=True))
        .order_by(Product.division_id.is_(None), Product.id).limit(1))


def _rivals(session: Session, division: Division,
            rivals: list[Rival]) -> list[tuple[int, list[int]]]:
    made = []
    for name, size, strengths, weaknesses, regions, customers, products in rivals:
        rival = Competitor(division_id=division.id, name=name)
        profile: Any = rival
        profile.size, profile.strengths, profile.weaknesses = size, strengths, weaknesses
        profile.regions, profile.key_customers = regions, customers
        session.add(rival)
        session.flush()
        ids = []
        for product, price, ours in products:
            row = CompetitorProduct(division_id=division.id, competitor_id=rival.id,
                                    name=product, price=Decimal(price),
                                    own_product_id=_our_product(session, division, ours))
            session.add(row)
            session.flush()
            ids.append(row.id)
        made.append((rival.id, ids))
    return made


def _moves(session: Session, rng: random.Random, division: Division,
           rivals: list[tuple[int, list[int]]]) -> None:
    """Three price cuts per product over the year, then this month's promotion."""
    reps = list(session.scalars(sa.select(User.id).where(
        User.division_id == division.id,
        User.id.in_(sa.select(user_role.c.user_id).where(user_role.c.role.in_(REPORTERS))))
        .order_by(User.id)))
    codes = REGIONS.get(division.code, REGIONS["HQ"])
    regions = list(session.scalars(sa.select(Region.id).where(Region.code.in_(codes))
                                   .order_by(Region.code)))
    for rival_id, products in rivals:
        for product_id in products:
            product = session.get(CompetitorProduct, product_id)
            assert product is not None
            price = product.price or Decimal(0)
            for months in (9, 5, 1):
                percent = rng.randint(3, 12)
                cut = (price * (100 - percent) / 100).quantize(Decimal("0.01"))
                session.add(CompetitorMove(
                    division_id=division.id, competitor_id=rival_id, kind="price_change",
                    seen_on=dt.date.today() - dt.timedelta(days=30 * months),
                    region_id=rng.choice(regions) if regions else None, product_id=product_id,
                    old_price=price, new_price=cut,
                    reporter_id=rng.choice(reps) if reps else None,
                    summary=f"{product.name} 降价 {percent}% 抢单",
                    evidence="客户转来的报价单"))
                price = cut
            product.price = price
        session.add(CompetitorMove(division_id=division.id, competitor_id=rival_id,
                                   kind="promotion", seen_on=dt.date.today(),
                                   region_id=rng.choice(regions) if regions else None,
                                   reporter_id=rng.choice(reps) if reps else None,
                                   summary="年底买十送一促销", evidence="门店海报照片"))


def create_demo_competitors(session: Session, divisions: list[Division]) -> None:
    """Competitors, products and moves in each division that enables crm_marketing (once)."""
    rng = random.Random(20261216)
    enabled = set(session.scalars(sa.select(DivisionAddon.division_id).where(
        DivisionAddon.addon == "crm_marketing")))
    for division in divisions:
        if division.id not in enabled:
            continue
        done = session.scalar(sa.select(CompetitorProduct.id).where(
            CompetitorProduct.division_id == division.id).limit(1))
        if done is not None:
            continue
        rivals = _rivals(session, division, RIVALS.get(division.code, RIVALS["HQ"]))
        _moves(session, rng, division, rivals)
        session.flush()
