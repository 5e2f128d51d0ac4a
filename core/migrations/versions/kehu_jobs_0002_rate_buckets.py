"""rate buckets: the token buckets of the rate limits, shared by every web worker

Revision ID: kehu_jobs_0002
Revises: kehu_jobs_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "kehu_jobs_0002"
down_revision = "kehu_jobs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_rate_bucket",
        sa.Column("key", sa.String(length=160), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kehu_rate_bucket")
