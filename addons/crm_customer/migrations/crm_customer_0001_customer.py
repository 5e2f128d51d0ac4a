"""crm_customer: the customer table.

Revision ID: crm_customer_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_customer_0001"
down_revision = None
branch_labels = ("crm_customer",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crm_customer",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("division_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("owner_id", sa.Integer),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("create_date", sa.DateTime, nullable=False),
        sa.Column("write_date", sa.DateTime, nullable=False),
        sa.Column("create_uid", sa.Integer),
        sa.Column("write_uid", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_crm_customer"),
        sa.ForeignKeyConstraint(
            ["division_id"], ["kehu_division.id"], name="fk_crm_customer_division_id_kehu_division"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["kehu_user.id"], ondelete="SET NULL",
            name="fk_crm_customer_owner_id_kehu_user",
        ),
        sa.ForeignKeyConstraint(
            ["create_uid"], ["kehu_user.id"], ondelete="SET NULL",
            name="fk_crm_customer_create_uid_kehu_user",
        ),
        sa.ForeignKeyConstraint(
            ["write_uid"], ["kehu_user.id"], ondelete="SET NULL",
            name="fk_crm_customer_write_uid_kehu_user",
        ),
        sa.UniqueConstraint("division_id", "code", name="uq_crm_customer_division_id"),
    )
    op.create_index("ix_crm_customer_division_id", "crm_customer", ["division_id"])
    op.create_index("ix_crm_customer_name", "crm_customer", ["name"])
    op.create_index("ix_crm_customer_owner_id", "crm_customer", ["owner_id"])


def downgrade() -> None:
    op.drop_table("crm_customer")
