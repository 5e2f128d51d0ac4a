"""crm_expense: the deal of a request or claim line is the bridge crm_expense_funnel's (#21).

`opportunity_id` was a plain integer of crm_expense's (no foreign key, crm_funnel's
table read by name). The bridge now adds it as a real reference. Here the column
goes where it holds nothing (every database without crm_funnel, and fresh ones);
where deals are named it stays, unmapped, until crm_expense_funnel's first revision
adopts it (keeping the ids that name a deal, see that revision): installing a new
version never loses a link.

Revision ID: crm_expense_0003
Revises: crm_expense_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_expense_0003"
down_revision = "crm_expense_0002"
branch_labels = None
depends_on = None

TABLES = ("crm_expense_budget", "crm_expense_claim_line")
COLUMN = "opportunity_id"


def _has_column(table: str) -> bool:
    return COLUMN in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _holds_values(table: str) -> bool:
    found = op.get_bind().execute(sa.text(
        f"SELECT 1 FROM {table} WHERE {COLUMN} IS NOT NULL LIMIT 1")).first()
    return found is not None


def upgrade() -> None:
    for table in TABLES:
        if _has_column(table) and not _holds_values(table):
            with op.batch_alter_table(table) as batch_op:
                batch_op.drop_index(f"ix_{table}_{COLUMN}")
                batch_op.drop_column(COLUMN)


def downgrade() -> None:
    """Put the plain column back where it went (crm_expense_0001's downgrade drops it)."""
    for table in TABLES:
        if not _has_column(table):
            with op.batch_alter_table(table) as batch_op:
                batch_op.add_column(sa.Column(COLUMN, sa.Integer(), nullable=True))
                batch_op.create_index(f"ix_{table}_{COLUMN}", [COLUMN], unique=False)
