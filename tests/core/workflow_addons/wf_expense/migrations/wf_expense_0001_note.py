"""wf_expense: the expense note table.

Revision ID: wf_expense_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "wf_expense_0001"
down_revision = None
branch_labels = ("wf_expense",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wf_expense_note",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("division_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("cancel_reason", sa.String(255)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("create_date", sa.DateTime, nullable=False),
        sa.Column("write_date", sa.DateTime, nullable=False),
        sa.Column("create_uid", sa.Integer),
        sa.Column("write_uid", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_wf_expense_note"),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name="fk_wf_expense_note_division_id_kehu_division"),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_wf_expense_note_create_uid_kehu_user"),
        sa.ForeignKeyConstraint(["write_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_wf_expense_note_write_uid_kehu_user"),
    )
    op.create_index("ix_wf_expense_note_division_id", "wf_expense_note", ["division_id"])


def downgrade() -> None:
    op.drop_table("wf_expense_note")
