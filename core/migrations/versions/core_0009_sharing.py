"""sharing: records shared with users or teams, with a role (kehu_record_share, #14)

Revision ID: core_0009
Revises: core_0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0009"
down_revision = "core_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_record_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("res_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=True),
        sa.Column("create_date", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name=op.f("fk_kehu_record_share_division_id_kehu_division"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["kehu_user.id"],
                                name=op.f("fk_kehu_record_share_user_id_kehu_user"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["department_id"], ["kehu_department.id"],
                                name=op.f("fk_kehu_record_share_department_id_kehu_department"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["granted_by"], ["kehu_user.id"],
                                name=op.f("fk_kehu_record_share_granted_by_kehu_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kehu_record_share")),
    )
    with op.batch_alter_table("kehu_record_share", schema=None) as batch_op:
        batch_op.create_index("ix_kehu_record_share_record", ["model", "res_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kehu_record_share_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kehu_record_share_department_id"), ["department_id"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("kehu_record_share")
