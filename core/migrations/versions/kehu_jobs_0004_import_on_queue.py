"""import jobs on the queue: the uploaded file, the division, the language and the
attempts of an import that a job worker (or the in-process runner) runs (#20)

Revision ID: kehu_jobs_0004
Revises: kehu_jobs_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "kehu_jobs_0004"
down_revision = "kehu_jobs_0003"
branch_labels = None
depends_on = None

COLUMNS = ("source", "division_id", "valid_only", "locale", "attempts", "worker")


def upgrade() -> None:
    op.add_column("kehu_import_job", sa.Column("source", sa.LargeBinary(), nullable=True))
    op.add_column("kehu_import_job", sa.Column("division_id", sa.Integer(), nullable=True))
    op.add_column("kehu_import_job", sa.Column("valid_only", sa.Boolean(), nullable=False,
                                               server_default=sa.false()))
    op.add_column("kehu_import_job", sa.Column("locale", sa.String(length=16), nullable=True))
    op.add_column("kehu_import_job", sa.Column("attempts", sa.Integer(), nullable=False,
                                               server_default="0"))
    op.add_column("kehu_import_job", sa.Column("worker", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kehu_import_job") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
