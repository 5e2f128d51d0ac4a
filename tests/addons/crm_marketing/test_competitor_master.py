"""One competitor master for the whole platform (#16): crm_customer's `crm_competitor`.

A database made before #16 had crm_funnel's list (`crm_funnel_competitor`) with the
bridge's company record on it; upgrading keeps every competitor's id and values and
every link to it: deals' "competitor that won", the competitors on each deal, the
competitor products, moves and tenders, and the competitor's change log.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Competitor
from addons.crm_funnel.closing import close_lost
from addons.crm_funnel.models import LostReason, Opportunity
from addons.crm_marketing.models import CompetitorMove, CompetitorProduct
from addons.crm_marketing_funnel.models import Tender
from core import migrate
from core.context import acting_as, system_context
from core.installer import migrating
from core.migrate import VERSION_TABLE
from tests.addons.crm_marketing.conftest import MarketingWorld
from tests.addons.crm_marketing.old_shapes import MOVED, as_bridge_tables
from tests.addons.crm_marketing.test_competitors import _deal, _ids, _rival

OLD, NEW = "crm_funnel_competitor", "crm_competitor"
# Every reference to a competitor: (table, column).
LINKS = [("crm_opportunity", "won_competitor_id"), ("crm_opportunity_competitor", "competitor_id"),
         ("crm_marketing_competitor_product", "competitor_id"),
         ("crm_marketing_competitor_move", "competitor_id"),
         ("crm_marketing_funnel_tender", "winner_id")]
# Before #16 the products and moves were the bridge's tables (tests/.../old_shapes.py).
BRIDGE_TABLES = dict(MOVED)
BEFORE_16 = {"crm_customer_0007": "crm_customer_0006", "crm_funnel_0007": "crm_funnel_0006",
             "crm_marketing_0008": "crm_marketing_0005"}  # 0007 folds again: nothing


def _snapshot(connection: sa.Connection, table: str) -> dict[str, object]:
    """The competitors with their company record, every link, the change log rows."""
    found: dict[str, object] = {"rows": connection.execute(sa.text(
        f"SELECT id, division_id, name, note, size, strengths, weaknesses, regions, "
        f"key_customers, website FROM {table} ORDER BY id")).all()}
    for name, column in LINKS:
        table = _present(connection, name)
        found[f"{name}.{column}"] = connection.execute(sa.text(
            f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY id")).all()
    inspector = sa.inspect(connection)
    for name in inspector.get_table_names():
        columns = {c["name"] for c in inspector.get_columns(name)}
        if name.startswith("kehu_") and "model" in columns and "res_id" in columns:
            found[name] = connection.execute(sa.text(
                f"SELECT count(*) FROM {name} WHERE model = :m"), {"m": table}).scalar()
    return found


def _present(connection: sa.Connection, name: str) -> str:
    """`name`, or the bridge's table of before #16 where the database still has that."""
    old = BRIDGE_TABLES.get(name)
    return old if old and sa.inspect(connection).has_table(old) else name


def _as_before_16(connection: sa.Connection) -> None:
    """Give the database the shape it had before #16: crm_funnel's list, the references to
    it, the company record on it, and the revisions of then."""
    postgres = connection.dialect.name == "postgresql"
    as_bridge_tables(connection)
    connection.exec_driver_sql(f"ALTER TABLE {NEW} RENAME TO {OLD}")
    for column in ("name", "division_id"):
        connection.exec_driver_sql(f"DROP INDEX ix_{NEW}_{column}")
        connection.exec_driver_sql(f"CREATE INDEX ix_{OLD}_{column} ON {OLD} ({column})")
    if postgres:
        connection.exec_driver_sql(f"ALTER TABLE {OLD} RENAME CONSTRAINT pk_{NEW} TO pk_{OLD}")
        connection.exec_driver_sql(f"ALTER SEQUENCE {NEW}_id_seq RENAME TO {OLD}_id_seq")
    inspector = sa.inspect(connection)
    for name in inspector.get_table_names():
        if name.startswith("kehu_") and "model" in {c["name"] for c in inspector.get_columns(name)}:
            connection.execute(sa.text(f"UPDATE {name} SET model = :old WHERE model = :new"),
                               {"old": OLD, "new": NEW})
    for head, revision in BEFORE_16.items():
        done = connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = :old "
                                          f"WHERE version_num = :head"),
                                  {"old": revision, "head": head})
        assert done.rowcount == 1, head
    assert sa.inspect(connection).get_foreign_keys("crm_opportunity_competitor")


def _referred(connection: sa.Connection) -> set[str]:
    inspector = sa.inspect(connection)
    return {fk["referred_table"] for name, column in LINKS
            for fk in inspector.get_foreign_keys(_present(connection, name))
            if fk["constrained_columns"] == [column]}


def test_an_old_database_keeps_every_competitor_and_every_link(world: MarketingWorld) -> None:
    _mode, _stage, region = _ids(world)
    rivals = [_rival(world, name) for name in ("北京华控科技", "上海同创电气")]
    deals = [_deal(world, f"项目{i}", "10000", region, rivals[: i % 2 + 1]) for i in range(4)]
    product = world.create("liu.yang", CompetitorProduct, {
        "competitor_id": rivals[0], "name": "HK-200 控制柜", "price": "12000"})
    world.create("li.na", CompetitorMove, {
        "competitor_id": rivals[0], "kind": "price_change", "product_id": product,
        "new_price": "9800", "summary": "降价 18%"})
    world.create("li.na", Tender, {"title": "地铁招标", "opportunity_id": deals[1],
                                   "deadline": "2026-12-01", "result": "lost",
                                   "winner_id": rivals[1], "winning_price": "88000"})
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        reason = session.scalar(sa.select(LostReason.id).where(LostReason.code == "competitor")
                                .order_by(LostReason.id))
        close_lost(session, session.get(Opportunity, deals[0]), world.actor("li.na"),
                   {"reason": reason, "competitor": rivals[1], "note": "对方降价"})
    with world.kernel.engine.connect() as connection:
        # A new database: crm_funnel_0007 moved its list onto the master.
        assert not sa.inspect(connection).has_table(OLD)
        assert _referred(connection) == {NEW}
        before = _snapshot(connection, NEW)
    assert len(before["rows"]) == 2 and len(before["crm_opportunity_competitor.competitor_id"]) == 6
    assert before["crm_opportunity.won_competitor_id"] == [(deals[0], rivals[1])]

    with world.kernel.engine.begin() as connection:
        _as_before_16(connection)
    with world.kernel.engine.connect() as connection:
        assert _snapshot(connection, OLD) == {**before, **{
            name: count for name, count in _snapshot(connection, OLD).items()
            if name.startswith("kehu_")}}
        assert _referred(connection) == {OLD}
    # As `kehu upgrade` runs the branches: in dependency order, SQLite's keys off meanwhile.
    with migrating(world.kernel) as session:
        for branch in ("crm_customer", "crm_funnel", "crm_marketing", "crm_marketing_funnel"):
            migrate.upgrade(session.connection(), world.kernel.catalog, branch)
    with world.kernel.engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert not inspector.has_table(OLD)
        assert _referred(connection) == {NEW}
        assert {ix["name"] for ix in inspector.get_indexes(NEW)} >= {
            f"ix_{NEW}_name", f"ix_{NEW}_division_id"}
        assert _snapshot(connection, NEW) == before
        assert not {old for _new, old in MOVED} & set(inspector.get_table_names())
        assert migrate.current_revisions(world.kernel.engine) >= {
            "crm_customer_0007", "crm_funnel_0007", "crm_marketing_0008"}
    # New competitors continue the ids; the ORM reads the master with its company record.
    third = _rival(world, "广州新锐")
    assert third > max(rivals)
    with system_context(), world.kernel.session() as session:
        first = session.get(Competitor, rivals[0])
        assert (first.name, first.size) == ("北京华控科技", "large")  # type: ignore[attr-defined]


@pytest.mark.sqlite_only
def test_a_division_without_the_funnel_keeps_competitors_with_their_record(
        world: MarketingWorld) -> None:
    """EAST runs crm_marketing alone: the master and the company record are there."""
    hq_rival = _rival(world, "北京华控科技")
    rival = world.create("east.mkt", Competitor, {
        "name": "杭州竞品", "size": "medium", "strengths": "渠道广", "regions": "浙江"})
    with acting_as(world.actor("east.mkt")), world.kernel.session() as session:
        record = session.get(Competitor, rival)
        assert record is not None and record.regions == "浙江"  # type: ignore[attr-defined]
        assert session.scalar(sa.select(sa.func.count(Competitor.id))) == 1
        assert session.get(Competitor, hq_rival) is None  # another division's
