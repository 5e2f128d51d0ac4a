"""wf_expense: lines of an expense note.

Revision ID: wf_expense_0002
Revises: wf_expense_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "wf_expense_0002"
down_revision = "wf_expense_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wf_expense_note_line",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("division_id", sa.Integer, nullable=False),
        sa.Column("note_id", sa.Integer, nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("payee_id", sa.Integer),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("create_date", sa.DateTime, nullable=False),
        sa.Column("write_date", sa.DateTime, nullable=False),
        sa.Column("create_uid", sa.Integer),
        sa.Column("write_uid", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_wf_expense_note_line"),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name="fk_wf_expense_note_line_division_id_kehu_division"),
        sa.ForeignKeyConstraint(["note_id"], ["wf_expense_note.id"], ondelete="CASCADE",
                                name="fk_wf_expense_note_line_note_id_wf_expense_note"),
        sa.ForeignKeyConstraint(["payee_id"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_wf_expense_note_line_payee_id_kehu_user"),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_wf_expense_note_line_create_uid_kehu_user"),
        sa.ForeignKeyConstraint(["write_uid"], ["kehu_user.id"], ondelete="SET NULL",
                                name="fk_wf_expense_note_line_write_uid_kehu_user"),
    )
    op.create_index("ix_wf_expense_note_line_division_id", "wf_expense_note_line",
                    ["division_id"])
    op.create_index("ix_wf_expense_note_line_note_id", "wf_expense_note_line", ["note_id"])
    op.create_index("ix_wf_expense_note_line_payee_id", "wf_expense_note_line", ["payee_id"])


def downgrade() -> None:
    op.drop_table("wf_expense_note_line")
