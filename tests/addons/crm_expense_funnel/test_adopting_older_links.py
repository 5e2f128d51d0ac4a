"""A database from before the bridge: crm_expense's plain `opportunity_id` is adopted.

The ids naming a deal are kept under the new foreign key; ids naming no deal (deleted
while nothing enforced the link) are cleared, as ON DELETE SET NULL would have done.
Both engines: this is a schema migration (SQLite rebuilds the table in batch mode).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from core.db import make_engine
from core.installer import install, uninstall
from tests.addons.crm_expense.conftest import ExpenseWorld, won

TABLES = ("crm_expense_claim_line", "crm_expense_budget")


def _plain_column_as_before(engine: sa.Engine) -> None:
    """What crm_expense 0001 made: an integer without a foreign key, indexed."""
    with engine.begin() as connection:
        for table in TABLES:
            connection.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN opportunity_id INTEGER"))
            connection.execute(sa.text(
                f"CREATE INDEX ix_{table}_opportunity_id ON {table} (opportunity_id)"))


def test_installing_the_bridge_keeps_deal_ids_and_clears_dangling_ones(world: ExpenseWorld) -> None:
    deal_id = won(world, [("南京华信二期自动化改造", "li.na", "480000.00", dt.date(2026, 11, 12))])[0]
    claim_id = world.claim("li.na", [world.line(3, "travel", "500.00", description="有商机"),
                                     world.line(4, "meals", "120.00", description="商机已删除")])
    settings = world.kernel.settings
    world.kernel.engine.dispose()
    uninstall(settings, "crm_expense_funnel")
    engine = make_engine(settings.database_url)
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("crm_expense_claim_line")}
        assert "opportunity_id" not in columns  # the bridge took its column with it
        _plain_column_as_before(engine)
        with engine.begin() as connection:
            for description, value in (("有商机", deal_id), ("商机已删除", deal_id + 999)):
                connection.execute(sa.text(
                    "UPDATE crm_expense_claim_line SET opportunity_id = :value "
                    "WHERE claim_id = :claim AND description = :description"),
                    {"value": value, "claim": claim_id, "description": description})
        engine.dispose()

        assert install(settings, ["crm_expense_funnel"]) == ["crm_expense_funnel"]

        with engine.connect() as connection:
            kept = dict(connection.execute(sa.text(
                "SELECT description, opportunity_id FROM crm_expense_claim_line "
                "WHERE claim_id = :claim"), {"claim": claim_id}).all())
        assert kept == {"有商机": deal_id, "商机已删除": None}
        for table in TABLES:
            keys = sa.inspect(engine).get_foreign_keys(table)
            assert any(fk["referred_table"] == "crm_opportunity"
                       and fk["constrained_columns"] == ["opportunity_id"] for fk in keys)
    finally:
        engine.dispose()
