"""crm_credit 0.1: a credit limit on each customer.

Revision ID: crm_credit_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_credit_0001"
down_revision = None
branch_labels = ("crm_credit",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crm_customer") as batch:
        batch.add_column(sa.Column("credit_limit", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crm_customer") as batch:
        batch.drop_column("credit_limit")
