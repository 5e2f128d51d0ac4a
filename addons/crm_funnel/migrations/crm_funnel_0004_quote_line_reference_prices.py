"""crm_funnel: the floor and last price beside each quote line (price protection).

Revision ID: crm_funnel_0004
Revises: crm_funnel_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'crm_funnel_0004'
down_revision = 'crm_funnel_0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crm_quote_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('floor_price', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('last_price', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crm_quote_line', schema=None) as batch_op:
        batch_op.drop_column('last_price')
        batch_op.drop_column('floor_price')
