"""A division running crm_marketing without crm_funnel (SOUTH in the demo, EAST here) has
competitor management (#16): its reps record competitor products and moves, its manager
sees them, the price report reads them, and other divisions see none of them."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Competitor
from addons.crm_marketing.models import CompetitorMove, CompetitorProduct
from core.auth.passwords import hash_password
from core.context import acting_as, system_context
from core.errors import AccessDenied
from core.models import Role, User
from core.reports import run_report
from tests.addons.crm_marketing.conftest import PASSWORD, MarketingWorld, browser

pytestmark = pytest.mark.sqlite_only  # rights and rules: the engine does not matter


def _person(world: MarketingWorld, login: str, name: str, role: str) -> None:
    """Somebody of EAST (crm_customer and crm_marketing only) with one role."""
    with system_context(), world.kernel.sessions.begin() as session:
        user = User(login=login, name=name, division_id=world.divisions["EAST"],
                    password_hash=hash_password(PASSWORD))
        user.roles = [session.get(Role, role)]
        session.add(user)
        session.flush()
        world.users[login] = user.id


def _count(world: MarketingWorld, login: str, model: type) -> int:
    with acting_as(world.actor(login)), world.kernel.session() as session:
        return int(session.scalar(sa.select(sa.func.count(model.id))))  # type: ignore[attr-defined]


def test_a_division_without_the_funnel_records_competitor_products_and_moves(
        world: MarketingWorld) -> None:
    _person(world, "south.rep", "吴婷", "sales_rep")
    _person(world, "south.mgr", "罗斌", "sales_manager")
    rival = world.create("south.rep", Competitor, {"name": "广东康瑞制药", "size": "large"})
    product = world.create("south.rep", CompetitorProduct, {
        "competitor_id": rival, "name": "康瑞 阿莫西林胶囊 0.25g×24粒", "price": "18.50"})
    move = world.create("south.rep", CompetitorMove, {
        "competitor_id": rival, "kind": "price_change", "seen_on": "2026-11-20",
        "product_id": product, "new_price": "16.80", "summary": "康瑞阿莫西林降价抢终端",
        "evidence": "大参林门店价签照片"})
    promotion = world.create("south.rep", CompetitorMove, {
        "competitor_id": rival, "kind": "promotion", "seen_on": "2026-12-01",
        "summary": "买十送一"})

    # The manager of the division sees both, the rep's report completed at save time.
    with acting_as(world.actor("south.mgr")), world.kernel.session() as session:
        seen = session.get(CompetitorMove, move)
        assert seen is not None
        assert (seen.old_price, seen.reporter_id) == (Decimal("18.50"), world.users["south.rep"])
        assert session.get(CompetitorProduct, product).price == Decimal("16.80")  # type: ignore[union-attr]
        assert session.get(CompetitorMove, promotion) is not None
        prices = run_report(session, world.kernel.reports["competitor_prices"].report,
                            rows="product", columns="month")
        assert prices.cell(product, "2026-11")["price"] == Decimal("16.80")
    assert _count(world, "south.mgr", CompetitorMove) == 2
    assert _count(world, "east.mkt", CompetitorProduct) == 1

    # HQ records its own: the division does not see them (headquarters sees every
    # division's, as everywhere).
    hq_rival = world.create("liu.yang", Competitor, {"name": "北京华控科技"})
    hq_move = world.create("li.na", CompetitorMove, {
        "competitor_id": hq_rival, "kind": "promotion", "summary": "年底促销"})
    assert _count(world, "south.rep", CompetitorMove) == 2
    assert _count(world, "li.na", CompetitorMove) == 3
    with acting_as(world.actor("south.mgr")), world.kernel.session() as session:
        assert session.get(CompetitorMove, hq_move) is None

    # Finance (read only) may not report a move.
    _person(world, "south.fin", "钟丽", "finance")
    with pytest.raises(AccessDenied):
        world.create("south.fin", CompetitorMove, {"competitor_id": rival, "kind": "other",
                                                   "summary": "听说"})

    # The pages: the menu, the list, the competitor's tabs; no bridge pages there.
    client = browser(world, "south.mgr", language="zh_CN")
    listing = client.get("/m/crm_marketing_competitor_move", params={"lang": "zh_CN"})
    assert listing.status_code == 200
    assert "康瑞阿莫西林降价抢终端" in listing.text and "年底促销" not in listing.text
    assert "竞品动态" in listing.text
    page = client.get(f"/m/crm_competitor/{rival}", params={"lang": "zh_CN"})
    assert page.status_code == 200 and "康瑞 阿莫西林胶囊 0.25g×24粒" in page.text
    assert client.get("/m/crm_marketing_funnel_tender").status_code in (403, 404)
