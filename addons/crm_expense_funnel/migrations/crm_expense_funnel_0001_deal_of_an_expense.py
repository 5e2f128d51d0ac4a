"""crm_expense_funnel 0.1: the deal of an expense request or claim line, a real reference (#21).

Fresh databases get the column here. A database from before the bridge still has
crm_expense's plain `opportunity_id` where deals were named (crm_expense_0003 keeps
it there): the column is adopted. Ids naming no deal (a deal deleted while nothing
enforced the link) are cleared first, as the foreign key's ON DELETE SET NULL would
have done, and counted in the log; every id naming a deal is kept.

Revision ID: crm_expense_funnel_0001
Revises:
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = 'crm_expense_funnel_0001'
down_revision = None
branch_labels = ('crm_expense_funnel',)
depends_on = None  # the installer upgrades crm_expense and crm_funnel first (dependencies)

TABLES = ("crm_expense_budget", "crm_expense_claim_line")
COLUMN = "opportunity_id"
TARGET = "crm_opportunity"
log = logging.getLogger("alembic.runtime.migration")


def _has_column(table: str) -> bool:
    return COLUMN in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _clear_dangling(table: str) -> int:
    """Set to NULL the ids that name no deal; returns how many."""
    result = op.get_bind().execute(sa.text(
        f"UPDATE {table} SET {COLUMN} = NULL WHERE {COLUMN} IS NOT NULL "
        f"AND {COLUMN} NOT IN (SELECT id FROM {TARGET})"))
    return int(result.rowcount or 0)


def upgrade() -> None:
    for table in TABLES:
        adopted = _has_column(table)
        if adopted:
            cleared = _clear_dangling(table)
            if cleared:
                log.warning("%s: %d %s naming no deal cleared", table, cleared, COLUMN)
        with op.batch_alter_table(table, schema=None) as batch_op:
            if not adopted:
                batch_op.add_column(sa.Column(COLUMN, sa.Integer(), nullable=True))
                batch_op.create_index(batch_op.f(f'ix_{table}_{COLUMN}'), [COLUMN], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_{COLUMN}_{TARGET}'), TARGET,
                                        [COLUMN], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    """Uninstalling the bridge takes the deal links with it."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_{COLUMN}_{TARGET}'),
                                     type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_{COLUMN}'))
            batch_op.drop_column(COLUMN)
