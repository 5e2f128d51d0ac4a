"""retired tables: the last id of each dropped table, so ids are never given twice (#13)

Revision ID: core_0011
Revises: core_0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0011"
down_revision = "core_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_retired_table",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_kehu_retired_table")),
    )


def downgrade() -> None:
    op.drop_table("kehu_retired_table")
