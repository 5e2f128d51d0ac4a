"""Kernel tables: divisions, users, installed addons and their enabling.

Revision ID: core_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0001"
down_revision = None
branch_labels = ("core",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_division",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("create_date", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kehu_division"),
        sa.UniqueConstraint("code", name="uq_kehu_division_code"),
    )
    op.create_table(
        "kehu_user",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("login", sa.String(64), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column(
            "division_id",
            sa.Integer,
            sa.ForeignKey("kehu_division.id", name="fk_kehu_user_division_id_kehu_division"),
        ),
        sa.Column("create_date", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kehu_user"),
        sa.UniqueConstraint("login", name="uq_kehu_user_login"),
    )
    op.create_table(
        "kehu_addon",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("install_date", sa.DateTime, nullable=False),
        sa.Column("upgrade_date", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_kehu_addon"),
    )
    op.create_table(
        "kehu_division_addon",
        sa.Column(
            "division_id",
            sa.Integer,
            sa.ForeignKey(
                "kehu_division.id",
                ondelete="CASCADE",
                name="fk_kehu_division_addon_division_id_kehu_division",
            ),
            nullable=False,
        ),
        sa.Column(
            "addon",
            sa.String(64),
            sa.ForeignKey(
                "kehu_addon.name",
                ondelete="CASCADE",
                name="fk_kehu_division_addon_addon_kehu_addon",
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("division_id", "addon", name="pk_kehu_division_addon"),
    )


def downgrade() -> None:
    op.drop_table("kehu_division_addon")
    op.drop_table("kehu_addon")
    op.drop_table("kehu_user")
    op.drop_table("kehu_division")
