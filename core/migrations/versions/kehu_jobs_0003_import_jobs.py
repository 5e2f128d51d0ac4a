"""import jobs: an import's progress and result, read by whichever web worker is polled

Revision ID: kehu_jobs_0003
Revises: kehu_jobs_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "kehu_jobs_0003"
down_revision = "kehu_jobs_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_import_job",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("failed_rows", sa.Integer(), nullable=False),
        sa.Column("omitted_errors", sa.Integer(), nullable=False),
        sa.Column("committed", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=True),
        sa.Column("updated", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kehu_import_job")
