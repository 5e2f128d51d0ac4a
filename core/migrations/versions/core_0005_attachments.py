"""attachments: files attached to records (kehu_attachment)

Revision ID: core_0005
Revises: core_0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_attachment",
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("res_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("create_date", sa.DateTime(), nullable=False),
        sa.Column("write_date", sa.DateTime(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("create_uid", sa.Integer(), nullable=True),
        sa.Column("write_uid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"],
                                name=op.f("fk_kehu_attachment_create_uid_kehu_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name=op.f("fk_kehu_attachment_division_id_kehu_division")),
        sa.ForeignKeyConstraint(["write_uid"], ["kehu_user.id"],
                                name=op.f("fk_kehu_attachment_write_uid_kehu_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kehu_attachment")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_kehu_attachment_storage_name")),
    )
    op.create_index(op.f("ix_kehu_attachment_division_id"), "kehu_attachment", ["division_id"], unique=False)
    op.create_index("ix_kehu_attachment_record", "kehu_attachment", ["model", "res_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_kehu_attachment_record", table_name="kehu_attachment")
    op.drop_index(op.f("ix_kehu_attachment_division_id"), table_name="kehu_attachment")
    op.drop_table("kehu_attachment")
