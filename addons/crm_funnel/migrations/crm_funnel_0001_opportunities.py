"""crm_funnel: sales modes and stages, lost reasons, competitors, opportunities, stage history.

Revision ID: crm_funnel_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'crm_funnel_0001'
down_revision = None
branch_labels = ('crm_funnel',)
depends_on = None


def upgrade() -> None:
    op.create_table('crm_funnel_competitor',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_funnel_competitor_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_funnel_competitor_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_funnel_competitor_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_funnel_competitor'))
    )
    with op.batch_alter_table('crm_funnel_competitor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_funnel_competitor_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_funnel_competitor_name'), ['name'], unique=False)

    op.create_table('crm_lost_reason',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_lost_reason_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_lost_reason_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_lost_reason_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_lost_reason')),
    sa.UniqueConstraint('division_id', 'code', name=op.f('uq_crm_lost_reason_division_id'))
    )
    with op.batch_alter_table('crm_lost_reason', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_lost_reason_division_id'), ['division_id'], unique=False)

    op.create_table('crm_sales_mode',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_sales_mode_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_sales_mode_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_sales_mode_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_sales_mode')),
    sa.UniqueConstraint('division_id', 'code', name=op.f('uq_crm_sales_mode_division_id'))
    )
    with op.batch_alter_table('crm_sales_mode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_sales_mode_division_id'), ['division_id'], unique=False)

    op.create_table('crm_stage',
    sa.Column('sales_mode_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('full_name', sa.String(length=210), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_stage_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_stage_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['sales_mode_id'], ['crm_sales_mode.id'], name=op.f('fk_crm_stage_sales_mode_id_crm_sales_mode')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_stage_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_stage'))
    )
    with op.batch_alter_table('crm_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_stage_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_stage_sales_mode_id'), ['sales_mode_id'], unique=False)

    op.create_table('crm_opportunity',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('sales_mode_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('product_line_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=8), server_default='open', nullable=False),
    sa.Column('stage_date', sa.DateTime(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('lost_reason_id', sa.Integer(), nullable=True),
    sa.Column('won_competitor_id', sa.Integer(), nullable=True),
    sa.Column('lost_note', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_opportunity_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_opportunity_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_opportunity_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['lost_reason_id'], ['crm_lost_reason.id'], name=op.f('fk_crm_opportunity_lost_reason_id_crm_lost_reason')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_line_id'], ['kehu_product_line.id'], name=op.f('fk_crm_opportunity_product_line_id_kehu_product_line')),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_opportunity_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['sales_mode_id'], ['crm_sales_mode.id'], name=op.f('fk_crm_opportunity_sales_mode_id_crm_sales_mode')),
    sa.ForeignKeyConstraint(['stage_id'], ['crm_stage.id'], name=op.f('fk_crm_opportunity_stage_id_crm_stage')),
    sa.ForeignKeyConstraint(['won_competitor_id'], ['crm_funnel_competitor.id'], name=op.f('fk_crm_opportunity_won_competitor_id_crm_funnel_competitor')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_opportunity'))
    )
    with op.batch_alter_table('crm_opportunity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_opportunity_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_lost_reason_id'), ['lost_reason_id'], unique=False)
        batch_op.create_index('ix_crm_opportunity_owner_close', ['owner_id', 'expected_close'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_product_line_id'), ['product_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_sales_mode_id'), ['sales_mode_id'], unique=False)
        batch_op.create_index('ix_crm_opportunity_stage_close', ['stage_id', 'expected_close', 'id'], unique=False)
        batch_op.create_index('ix_crm_opportunity_state_close', ['state', 'expected_close'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_won_competitor_id'), ['won_competitor_id'], unique=False)

    op.create_table('crm_stage_move',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('from_stage_id', sa.Integer(), nullable=True),
    sa.Column('to_stage_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('moved_at', sa.DateTime(), nullable=False),
    sa.Column('dwell_seconds', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_stage_move_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_stage_move_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['from_stage_id'], ['crm_stage.id'], name=op.f('fk_crm_stage_move_from_stage_id_crm_stage')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_stage_move_opportunity_id_crm_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_stage_id'], ['crm_stage.id'], name=op.f('fk_crm_stage_move_to_stage_id_crm_stage')),
    sa.ForeignKeyConstraint(['user_id'], ['kehu_user.id'], name=op.f('fk_crm_stage_move_user_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_stage_move_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_stage_move'))
    )
    with op.batch_alter_table('crm_stage_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_stage_move_division_id'), ['division_id'], unique=False)
        batch_op.create_index('ix_crm_stage_move_opportunity', ['opportunity_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_stage_move_to_stage_id'), ['to_stage_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('crm_stage_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_stage_move_to_stage_id'))
        batch_op.drop_index('ix_crm_stage_move_opportunity')
        batch_op.drop_index(batch_op.f('ix_crm_stage_move_division_id'))

    op.drop_table('crm_stage_move')
    with op.batch_alter_table('crm_opportunity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_won_competitor_id'))
        batch_op.drop_index('ix_crm_opportunity_state_close')
        batch_op.drop_index('ix_crm_opportunity_stage_close')
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_sales_mode_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_product_line_id'))
        batch_op.drop_index('ix_crm_opportunity_owner_close')
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_lost_reason_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_department_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_customer_id'))

    op.drop_table('crm_opportunity')
    with op.batch_alter_table('crm_stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_stage_sales_mode_id'))
        batch_op.drop_index(batch_op.f('ix_crm_stage_division_id'))

    op.drop_table('crm_stage')
    with op.batch_alter_table('crm_sales_mode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_sales_mode_division_id'))

    op.drop_table('crm_sales_mode')
    with op.batch_alter_table('crm_lost_reason', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_lost_reason_division_id'))

    op.drop_table('crm_lost_reason')
    with op.batch_alter_table('crm_funnel_competitor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_funnel_competitor_name'))
        batch_op.drop_index(batch_op.f('ix_crm_funnel_competitor_division_id'))

    op.drop_table('crm_funnel_competitor')
