"""e-mail notifications switched off per kind (kehu_notify_preference.email_off, #18)

Revision ID: core_0010
Revises: core_0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0010"
down_revision = "core_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kehu_notify_preference", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_off", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kehu_notify_preference", schema=None) as batch_op:
        batch_op.drop_column("email_off")
