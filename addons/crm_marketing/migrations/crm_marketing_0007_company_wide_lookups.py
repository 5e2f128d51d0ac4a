"""crm_marketing: campaign categories and cost types may be company-wide; identical
per-division copies folded into one entry, every reference repointed (#14).

Revision ID: crm_marketing_0007
Revises: crm_marketing_0006
"""

from __future__ import annotations

from alembic import op

from core.folding import fold_lookup_tables

revision = "crm_marketing_0007"
down_revision = "crm_marketing_0006"
branch_labels = None
depends_on = None

TABLES = ["crm_marketing_category", "crm_marketing_cost_type"]


def upgrade() -> None:
    fold_lookup_tables(op, TABLES)


def downgrade() -> None:
    """Folded copies are not split again: the company-wide entries stay (#14)."""
