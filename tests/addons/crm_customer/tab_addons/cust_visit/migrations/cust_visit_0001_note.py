"""cust_visit: the visit note table.

Revision ID: cust_visit_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "cust_visit_0001"
down_revision = None
branch_labels = ("cust_visit",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cust_visit_note",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("division_id", sa.Integer, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("summary", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("create_date", sa.DateTime, nullable=False),
        sa.Column("write_date", sa.DateTime, nullable=False),
        sa.Column("create_uid", sa.Integer),
        sa.Column("write_uid", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_cust_visit_note"),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name="fk_cust_visit_note_division_id_kehu_division"),
        sa.ForeignKeyConstraint(["customer_id"], ["crm_customer.id"],
                                name="fk_cust_visit_note_customer_id_crm_customer"),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_cust_visit_note_create_uid_kehu_user"),
        sa.ForeignKeyConstraint(["write_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_cust_visit_note_write_uid_kehu_user"),
    )
    op.create_index("ix_cust_visit_note_division_id", "cust_visit_note", ["division_id"])
    op.create_index("ix_cust_visit_note_customer_id", "cust_visit_note", ["customer_id"])


def downgrade() -> None:
    op.drop_table("cust_visit_note")
