"""crm_credit 0.2: payment terms in days; customers with a limit get 30, others 0.

Revision ID: crm_credit_0002
Revises: crm_credit_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_credit_0002"
down_revision = "crm_credit_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crm_customer") as batch:
        batch.add_column(sa.Column("credit_days", sa.Integer, nullable=False, server_default="0"))
    op.execute("UPDATE crm_customer SET credit_days = 30 WHERE credit_limit IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("crm_customer") as batch:
        batch.drop_column("credit_days")
