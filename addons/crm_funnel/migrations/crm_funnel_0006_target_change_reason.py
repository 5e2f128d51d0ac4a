"""crm_funnel: a target's change carries its reason (指标变更, #14).

Revision ID: crm_funnel_0006
Revises: crm_funnel_0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_funnel_0006"
down_revision = "crm_funnel_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crm_sales_target") as batch:
        batch.add_column(sa.Column("change_reason", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crm_sales_target") as batch:
        batch.drop_column("change_reason")
