"""crm_customer: lookup entries may be company-wide; identical per-division copies folded (#14).

Revision ID: crm_customer_0006
Revises: crm_customer_0005
"""

from __future__ import annotations

from alembic import op

from core.folding import fold_lookup_tables

revision = "crm_customer_0006"
down_revision = "crm_customer_0005"
branch_labels = None
depends_on = None

# In reference order: a table comes after the lookups its rows name.
TABLES = ['crm_industry', 'crm_lead_source', 'crm_customer_type', 'crm_problem_type', 'crm_product_category', 'crm_product']


def upgrade() -> None:
    fold_lookup_tables(op, TABLES)


def downgrade() -> None:
    """Folded copies are not split again: the company-wide entries stay (#14)."""
