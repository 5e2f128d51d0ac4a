"""crm_expense: lookup entries may be company-wide; identical per-division copies folded (#14).

Revision ID: crm_expense_0002
Revises: crm_expense_0001
"""

from __future__ import annotations

from alembic import op

from core.folding import fold_lookup_tables

revision = "crm_expense_0002"
down_revision = "crm_expense_0001"
branch_labels = None
depends_on = None

# In reference order: a table comes after the lookups its rows name.
TABLES = ['crm_expense_type']


def upgrade() -> None:
    fold_lookup_tables(op, TABLES)


def downgrade() -> None:
    """Folded copies are not split again: the company-wide entries stay (#14)."""
