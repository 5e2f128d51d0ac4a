"""job runs: one row per job, division and scheduled time (kehu_job_run)

Its own branch, "kehu_jobs", so the kernel's "core" branch keeps one line of
revisions. The unique key makes each scheduled run happen once however many
processes run jobs.

Revision ID: kehu_jobs_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "kehu_jobs_0001"
down_revision = None
branch_labels = ("kehu_jobs",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kehu_job_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job", sa.String(length=120), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("changed", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.UniqueConstraint("job", "division_id", "scheduled_for",
                            name="uq_kehu_job_run_job_division_scheduled"),
    )
    op.create_index("ix_kehu_job_run_scheduled_for", "kehu_job_run", ["scheduled_for"])


def downgrade() -> None:
    op.drop_index("ix_kehu_job_run_scheduled_for", table_name="kehu_job_run")
    op.drop_table("kehu_job_run")
