"""lookups: company-wide lookup entries a division hides (kehu_lookup_hidden, #14)

Revision ID: core_0006
Revises: core_0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_lookup_hidden",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("create_uid", sa.Integer(), nullable=True),
        sa.Column("create_date", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name=op.f("fk_kehu_lookup_hidden_division_id_kehu_division"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"],
                                name=op.f("fk_kehu_lookup_hidden_create_uid_kehu_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kehu_lookup_hidden")),
        sa.UniqueConstraint("division_id", "model", "entry_id",
                            name=op.f("uq_kehu_lookup_hidden_division_id")),
    )
    with op.batch_alter_table("kehu_lookup_hidden", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kehu_lookup_hidden_division_id"), ["division_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("kehu_lookup_hidden")
