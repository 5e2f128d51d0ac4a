"""approval steps keep whom they ask (#13): resolved again when somebody decides

Revision ID: core_0008
Revises: core_0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'core_0008'
down_revision = 'core_0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kehu_approval_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('target_role', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('target_department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_user_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kehu_approval_task', schema=None) as batch_op:
        batch_op.drop_column('target_user_id')
        batch_op.drop_column('target_department_id')
        batch_op.drop_column('target_role')
        batch_op.drop_column('target_kind')
