"""crm_funnel: lookup entries may be company-wide; identical per-division copies folded (#14).

Revision ID: crm_funnel_0005
Revises: crm_funnel_0004
"""

from __future__ import annotations

from alembic import op

from core.folding import fold_lookup_tables

revision = "crm_funnel_0005"
down_revision = "crm_funnel_0004"
branch_labels = None
depends_on = None

# In reference order: a table comes after the lookups its rows name.
TABLES = ['crm_sales_mode', 'crm_stage', 'crm_lost_reason']


def upgrade() -> None:
    fold_lookup_tables(op, TABLES)


def downgrade() -> None:
    """Folded copies are not split again: the company-wide entries stay (#14)."""
