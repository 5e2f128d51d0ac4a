"""Competitor products and moves went from the funnel bridge to crm_marketing (#16,
crm_marketing_0008): a database that had the bridge's tables ends with the same rows,
the same ids, every reference and the kernel's rows about them (the evidence attached
to a move, its notes, its change log), the ids continuing after the last one given;
and the bridge can then be uninstalled and installed again without touching them."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Competitor
from addons.crm_marketing.models import CompetitorMove, CompetitorProduct
from core import attachments, audit, migrate
from core.context import acting_as, system_context
from core.installer import install, migrating, uninstall
from core.kernel import boot
from core.migrate import VERSION_TABLE
from tests.addons.crm_marketing.conftest import MarketingWorld
from tests.addons.crm_marketing.old_shapes import MOVED, as_bridge_tables

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
COLUMNS = ("id, division_id, competitor_id, name, price, own_product_id, note, version, "
           "create_uid", "id, division_id, competitor_id, kind, seen_on, region_id, product_id, "
           "old_price, new_price, summary, evidence, reporter_id, version, create_uid")


def _rows(connection: sa.Connection, tables: list[str]) -> dict[str, list[tuple[object, ...]]]:
    return {table: [tuple(row) for row in connection.exec_driver_sql(
                f"SELECT {columns} FROM {table} ORDER BY id")]
            for table, columns in zip(tables, COLUMNS, strict=True)}


def _kernel_rows(connection: sa.Connection, tables: list[str]) -> dict[str, int]:
    """How many rows each kernel table keeps about records of `tables`, by new name."""
    inspector = sa.inspect(connection)
    found = {}
    for name in inspector.get_table_names():
        if name.startswith("kehu_") and "model" in {c["name"] for c in inspector.get_columns(name)}:
            for table, (new, _old) in zip(tables, MOVED, strict=True):
                found[f"{name}:{new}"] = int(connection.scalar(sa.text(
                    f"SELECT count(*) FROM {name} WHERE model = :m"), {"m": table}))
    return found


def _record_intelligence(world: MarketingWorld, data_dir: Path) -> tuple[int, list[int]]:
    """Products and moves in HQ and EAST, evidence and a note on one move; the last move
    deleted (its id must not be given again)."""
    rival = world.create("liu.yang", Competitor, {"name": "北京华控科技", "size": "large"})
    east = world.create("east.mkt", Competitor, {"name": "杭州竞品"})
    product = world.create("liu.yang", CompetitorProduct, {
        "competitor_id": rival, "name": "HK-200 控制柜", "price": "12000"})
    east_product = world.create("east.mkt", CompetitorProduct, {
        "competitor_id": east, "name": "HZ-1 监护仪", "price": "23000"})
    moves = [world.create("li.na", CompetitorMove, {
        "competitor_id": rival, "kind": "price_change", "product_id": product,
        "new_price": str(11000 - 500 * i), "summary": f"第{i + 1}次降价"}) for i in range(3)]
    moves.append(world.create("east.mkt", CompetitorMove, {
        "competitor_id": east, "kind": "price_change", "product_id": east_product,
        "new_price": "21000", "summary": "华东降价"}))
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        move = session.get(CompetitorMove, moves[0])
        attachments.store(session, data_dir, CompetitorMove, moves[0],
                          attachments.Upload("报价单.png", PNG))
        audit.add_note(session, move, "客户转来的报价单")
        move.summary = "第1次降价（已核实）"  # edited after the note
    last = world.create("li.na", CompetitorMove, {"competitor_id": rival, "kind": "other",
                                                  "summary": "误报"})
    with system_context(), world.kernel.sessions.begin() as session:
        session.delete(session.get(CompetitorMove, last))
    return last, moves


def test_an_old_database_keeps_every_product_and_move_with_its_id(
        world: MarketingWorld, tmp_path: Path) -> None:
    last, moves = _record_intelligence(world, world.kernel.settings.data_dir)
    new_tables = [new for new, _old in MOVED]
    old_tables = [old for _new, old in MOVED]
    with world.kernel.engine.connect() as connection:
        before = _rows(connection, new_tables)
        refs = _kernel_rows(connection, new_tables)
    assert len(before[new_tables[1]]) == 4 and refs[f"kehu_attachment:{new_tables[1]}"] == 1

    # The shape of a database where the bridge had them: its tables, crm_marketing at 0007.
    with world.kernel.engine.begin() as connection:
        as_bridge_tables(connection)
        done = connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = "
                                          f"'crm_marketing_0007' WHERE version_num = "
                                          f"'crm_marketing_0008'"))
        assert done.rowcount == 1
    with world.kernel.engine.connect() as connection:
        assert not set(new_tables) & set(sa.inspect(connection).get_table_names())
        assert _rows(connection, old_tables) == {
            old: rows for old, rows in zip(old_tables, before.values(), strict=True)}
        assert _kernel_rows(connection, old_tables) == refs

    # `kehu upgrade`: the branches in dependency order, SQLite's keys off meanwhile.
    with migrating(world.kernel) as session:
        for branch in ("crm_marketing", "crm_marketing_funnel"):
            migrate.upgrade(session.connection(), world.kernel.catalog, branch)
    with world.kernel.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        assert not set(old_tables) & tables and set(new_tables) <= tables
        assert _rows(connection, new_tables) == before
        assert _kernel_rows(connection, new_tables) == refs
        assert _kernel_rows(connection, old_tables) == dict.fromkeys(refs, 0)
    assert "crm_marketing_0008" in migrate.current_revisions(world.kernel.engine)

    # The ORM reads them; the evidence is still the move's; new ids continue.
    with acting_as(world.actor("li.na")), world.kernel.session() as session:
        move = session.get(CompetitorMove, moves[0])
        assert move is not None and move.summary == "第1次降价（已核实）"
        assert [a.file_name for a in attachments.listed(
            session, [(CompetitorMove.__tablename__, moves[0])])] == ["报价单.png"]
    again = world.create("li.na", CompetitorMove, {
        "competitor_id": before[new_tables[1]][0][2], "kind": "promotion", "summary": "买赠"})
    assert again > last


@pytest.mark.sqlite_only
def test_uninstalling_the_bridge_keeps_products_and_moves(world: MarketingWorld) -> None:
    """The bridge's uninstall drops its tenders and campaign links, not marketing's
    competitor records; installed again, it finds them."""
    _last, moves = _record_intelligence(world, world.kernel.settings.data_dir)
    settings = world.kernel.settings
    with world.kernel.engine.connect() as connection:
        before = _rows(connection, [new for new, _old in MOVED])
    world.kernel.engine.dispose()
    uninstall(settings, "crm_marketing_funnel")
    after = boot(settings)
    try:
        assert "crm_marketing_funnel" not in after.registry.installed
        with after.engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            assert "crm_marketing_funnel_tender" not in tables
            assert _rows(connection, [new for new, _old in MOVED]) == before
            assert connection.scalar(sa.text(
                "SELECT count(*) FROM kehu_attachment WHERE model = :m AND res_id = :r"),
                {"m": CompetitorMove.__tablename__, "r": moves[0]}) == 1
    finally:
        after.engine.dispose()
    assert install(settings, ["crm_marketing_funnel"]) == ["crm_marketing_funnel"]
    again = boot(settings)
    try:
        with again.engine.connect() as connection:
            assert _rows(connection, [new for new, _old in MOVED]) == before
            assert "crm_marketing_funnel_tender" in sa.inspect(connection).get_table_names()
    finally:
        again.engine.dispose()
