"""rp_deal: the deal table.

Revision ID: rp_deal_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rp_deal_0001"
down_revision = None
branch_labels = ("rp_deal",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rp_deal",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("division_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner_id", sa.Integer),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("probability", sa.Integer, nullable=False),
        sa.Column("close_date", sa.Date, nullable=False),
        sa.Column("signed_at", sa.DateTime),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("create_date", sa.DateTime, nullable=False),
        sa.Column("write_date", sa.DateTime, nullable=False),
        sa.Column("create_uid", sa.Integer),
        sa.Column("write_uid", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_rp_deal"),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name="fk_rp_deal_division_id_kehu_division"),
        sa.ForeignKeyConstraint(["owner_id"], ["kehu_user.id"],
                                name="fk_rp_deal_owner_id_kehu_user"),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_rp_deal_create_uid_kehu_user"),
        sa.ForeignKeyConstraint(["write_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_rp_deal_write_uid_kehu_user"),
    )
    op.create_index("ix_rp_deal_division_id", "rp_deal", ["division_id"])
    op.create_index("ix_rp_deal_owner_id", "rp_deal", ["owner_id"])


def downgrade() -> None:
    op.drop_table("rp_deal")
