"""crm_channel 0.2: the channel tier on customers; network, agreements, orders, shipments,
returns, plans, terminal requests, flow data, stock periods and figures, inspections, rebates.

Revision ID: crm_channel_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'crm_channel_0001'
down_revision = None
branch_labels = ('crm_channel',)
depends_on = None


def upgrade() -> None:
    op.create_table('crm_channel_period',
    sa.Column('code', sa.String(length=7), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), server_default='open', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_period_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_period_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_period_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_period')),
    sa.UniqueConstraint('division_id', 'code', name=op.f('uq_crm_channel_period_division_id'))
    )
    with op.batch_alter_table('crm_channel_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_period_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_period_state'), ['state'], unique=False)

    op.create_table('crm_channel_adjustment',
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_adjustment_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_adjustment_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_adjustment_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_channel_adjustment_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['period_id'], ['crm_channel_period.id'], name=op.f('fk_crm_channel_adjustment_period_id_crm_channel_period')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_adjustment_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_adjustment_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_adjustment'))
    )
    with op.batch_alter_table('crm_channel_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_adjustment_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_adjustment_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_adjustment_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_adjustment_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_adjustment_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_adjustment_state'), ['state'], unique=False)

    op.create_table('crm_channel_agreement',
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('target_amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_agreement_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_channel_agreement_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_agreement_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_agreement_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_channel_agreement_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_channel_agreement_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_agreement_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_agreement'))
    )
    with op.batch_alter_table('crm_channel_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_state'), ['state'], unique=False)

    op.create_table('crm_channel_authorised_product',
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_to', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_authorised_product_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_authorised_product_distributor_id_crm_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_authorised_product_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_authorised_product_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_authorised_product_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_authorised_product')),
    sa.UniqueConstraint('distributor_id', 'product_id', name=op.f('uq_crm_channel_authorised_product_distributor_id'))
    )
    with op.batch_alter_table('crm_channel_authorised_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_authorised_product_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_authorised_product_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_authorised_product_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_flow_alias',
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_alias_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_flow_alias_customer_id_crm_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_flow_alias_distributor_id_crm_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_flow_alias_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_flow_alias_product_id_crm_product'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_alias_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_flow_alias')),
    sa.UniqueConstraint('distributor_id', 'kind', 'name', name=op.f('uq_crm_channel_flow_alias_distributor_id'))
    )
    with op.batch_alter_table('crm_channel_flow_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_alias_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_alias_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_alias_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_alias_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_flow_import',
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('row_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('unmatched_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_import_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_flow_import_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_flow_import_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_import_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_flow_import'))
    )
    with op.batch_alter_table('crm_channel_flow_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_import_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_import_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_import_period'), ['period'], unique=False)

    op.create_table('crm_channel_flow_layout',
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('date_column', sa.String(length=64), nullable=False),
    sa.Column('customer_column', sa.String(length=64), nullable=False),
    sa.Column('product_column', sa.String(length=64), nullable=False),
    sa.Column('quantity_column', sa.String(length=64), nullable=False),
    sa.Column('batch_column', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_layout_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_flow_layout_distributor_id_crm_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_flow_layout_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_layout_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_flow_layout')),
    sa.UniqueConstraint('distributor_id', name=op.f('uq_crm_channel_flow_layout_distributor_id'))
    )
    with op.batch_alter_table('crm_channel_flow_layout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_layout_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_layout_division_id'), ['division_id'], unique=False)

    op.create_table('crm_channel_inspection',
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=40), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=True),
    sa.Column('traced', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.Column('penalty', sa.BigInteger(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_inspection_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_inspection_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_inspection_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_channel_inspection_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_inspection_product_id_crm_product')),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_channel_inspection_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_inspection_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_inspection'))
    )
    with op.batch_alter_table('crm_channel_inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_inspection_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_inspection_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_inspection_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_inspection_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_inspection_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_inspection_state'), ['state'], unique=False)

    op.create_table('crm_channel_opening',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_opening_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_opening_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_opening_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['period_id'], ['crm_channel_period.id'], name=op.f('fk_crm_channel_opening_period_id_crm_channel_period')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_opening_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_opening_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_opening')),
    sa.UniqueConstraint('period_id', 'distributor_id', 'product_id', name=op.f('uq_crm_channel_opening_period_id'))
    )
    with op.batch_alter_table('crm_channel_opening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_opening_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_opening_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_opening_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_opening_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_plan',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_plan_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_plan_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_plan_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_channel_plan_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_plan_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_plan_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_plan')),
    sa.UniqueConstraint('division_id', 'month', 'distributor_id', 'product_id', name=op.f('uq_crm_channel_plan_division_id'))
    )
    with op.batch_alter_table('crm_channel_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_plan_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_plan_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_plan_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_plan_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_plan_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_rebate_policy',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=True),
    sa.Column('tier', sa.String(length=16), nullable=True),
    sa.Column('basis', sa.String(length=16), server_default='purchases', nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_rebate_policy_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_rebate_policy_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_rebate_policy_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_rebate_policy_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_rebate_policy'))
    )
    with op.batch_alter_table('crm_channel_rebate_policy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_policy_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_policy_division_id'), ['division_id'], unique=False)

    op.create_table('crm_channel_stock',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('opening', sa.Integer(), nullable=False),
    sa.Column('purchased', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.Column('sold', sa.Integer(), nullable=False),
    sa.Column('adjusted', sa.Integer(), nullable=False),
    sa.Column('closing', sa.Integer(), nullable=False),
    sa.Column('reported', sa.Integer(), nullable=True),
    sa.Column('difference', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_stock_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_stock_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_stock_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['period_id'], ['crm_channel_period.id'], name=op.f('fk_crm_channel_stock_period_id_crm_channel_period')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_stock_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_stock_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_stock')),
    sa.UniqueConstraint('period_id', 'distributor_id', 'product_id', name=op.f('uq_crm_channel_stock_period_id'))
    )
    with op.batch_alter_table('crm_channel_stock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_stock_report',
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_stock_report_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_stock_report_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_stock_report_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['period_id'], ['crm_channel_period.id'], name=op.f('fk_crm_channel_stock_report_period_id_crm_channel_period')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_stock_report_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_stock_report_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_stock_report')),
    sa.UniqueConstraint('period_id', 'distributor_id', 'product_id', name=op.f('uq_crm_channel_stock_report_period_id'))
    )
    with op.batch_alter_table('crm_channel_stock_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_report_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_report_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_report_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_stock_report_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_supplier',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('upstream_id', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_supplier_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_supplier_customer_id_crm_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_supplier_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['upstream_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_supplier_upstream_id_crm_customer')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_supplier_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_supplier'))
    )
    with op.batch_alter_table('crm_channel_supplier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_supplier_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_supplier_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_supplier_upstream_id'), ['upstream_id'], unique=False)

    op.create_table('crm_channel_territory',
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_territory_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_territory_distributor_id_crm_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_territory_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_channel_territory_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_territory_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_territory')),
    sa.UniqueConstraint('distributor_id', 'region_id', name=op.f('uq_crm_channel_territory_distributor_id'))
    )
    with op.batch_alter_table('crm_channel_territory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_territory_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_territory_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_territory_region_id'), ['region_id'], unique=False)

    op.create_table('crm_channel_agreement_line',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('supply_price', sa.BigInteger(), nullable=False),
    sa.Column('min_resale_price', sa.BigInteger(), nullable=True),
    sa.Column('min_quantity', sa.Integer(), nullable=True),
    sa.Column('q1', sa.Integer(), nullable=True),
    sa.Column('q2', sa.Integer(), nullable=True),
    sa.Column('q3', sa.Integer(), nullable=True),
    sa.Column('q4', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['crm_channel_agreement.id'], name=op.f('fk_crm_channel_agreement_line_agreement_id_crm_channel_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_agreement_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_agreement_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_agreement_line_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_agreement_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_agreement_line'))
    )
    with op.batch_alter_table('crm_channel_agreement_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_line_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_line_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_agreement_line_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_flow',
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('sale_date', sa.Date(), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('product_name', sa.String(length=200), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('batch', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_flow_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_flow_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_flow_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['import_id'], ['crm_channel_flow_import.id'], name=op.f('fk_crm_channel_flow_import_id_crm_channel_flow_import'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_flow_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_flow_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_flow'))
    )
    with op.batch_alter_table('crm_channel_flow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_division_id'), ['division_id'], unique=False)
        batch_op.create_index('ix_crm_channel_flow_period', ['distributor_id', 'period'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_flow_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_order',
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('erp_order_no', sa.String(length=40), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='saved', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['crm_channel_agreement.id'], name=op.f('fk_crm_channel_order_agreement_id_crm_channel_agreement')),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_order_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_channel_order_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_order_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_order_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_channel_order_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_order_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_order'))
    )
    with op.batch_alter_table('crm_channel_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_order_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_erp_order_no'), ['erp_order_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_state'), ['state'], unique=False)

    op.create_table('crm_channel_rebate',
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('basis_amount', sa.BigInteger(), nullable=False),
    sa.Column('rate', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_rebate_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_rebate_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_rebate_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['policy_id'], ['crm_channel_rebate_policy.id'], name=op.f('fk_crm_channel_rebate_policy_id_crm_channel_rebate_policy'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_rebate_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_rebate')),
    sa.UniqueConstraint('policy_id', 'distributor_id', 'period', name=op.f('uq_crm_channel_rebate_policy_id'))
    )
    with op.batch_alter_table('crm_channel_rebate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_policy_id'), ['policy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_state'), ['state'], unique=False)

    op.create_table('crm_channel_rebate_tier',
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.BigInteger(), nullable=False),
    sa.Column('rate', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_rebate_tier_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_rebate_tier_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['policy_id'], ['crm_channel_rebate_policy.id'], name=op.f('fk_crm_channel_rebate_tier_policy_id_crm_channel_rebate_policy'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_rebate_tier_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_rebate_tier'))
    )
    with op.batch_alter_table('crm_channel_rebate_tier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_tier_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_rebate_tier_policy_id'), ['policy_id'], unique=False)

    op.create_table('crm_channel_order_line',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_date', sa.Date(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=True),
    sa.Column('amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('shipped_qty', sa.Integer(), server_default='0', nullable=False),
    sa.Column('backorder_qty', sa.Integer(), server_default='0', nullable=False),
    sa.Column('returned_qty', sa.Integer(), server_default='0', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_order_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_order_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['order_id'], ['crm_channel_order.id'], name=op.f('fk_crm_channel_order_line_order_id_crm_channel_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_order_line_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_order_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_order_line'))
    )
    with op.batch_alter_table('crm_channel_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_order_line_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_line_order_date'), ['order_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_line_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_order_line_product_id'), ['product_id'], unique=False)

    op.create_table('crm_channel_return',
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=True),
    sa.Column('return_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('erp_return_no', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='saved', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_return_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_channel_return_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_return_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_return_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['order_id'], ['crm_channel_order.id'], name=op.f('fk_crm_channel_return_order_id_crm_channel_order')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_channel_return_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_return_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_return'))
    )
    with op.batch_alter_table('crm_channel_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_return_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_state'), ['state'], unique=False)

    op.create_table('crm_channel_shipment',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('delivery_no', sa.String(length=40), nullable=False),
    sa.Column('outbound_no', sa.String(length=40), nullable=True),
    sa.Column('ship_date', sa.Date(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_shipment_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_shipment_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_shipment_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['order_id'], ['crm_channel_order.id'], name=op.f('fk_crm_channel_shipment_order_id_crm_channel_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_shipment_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_shipment'))
    )
    with op.batch_alter_table('crm_channel_shipment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_ship_date'), ['ship_date'], unique=False)

    op.create_table('crm_channel_terminal_request',
    sa.Column('terminal_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=True),
    sa.Column('request_date', sa.Date(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_terminal_request_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_terminal_request_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_terminal_request_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['order_id'], ['crm_channel_order.id'], name=op.f('fk_crm_channel_terminal_request_order_id_crm_channel_order'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_channel_terminal_request_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['terminal_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_terminal_request_terminal_id_crm_customer')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_terminal_request_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_terminal_request'))
    )
    with op.batch_alter_table('crm_channel_terminal_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_terminal_id'), ['terminal_id'], unique=False)

    op.create_table('crm_channel_return_line',
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=True),
    sa.Column('amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('batch', sa.String(length=40), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_return_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_return_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_return_line_product_id_crm_product')),
    sa.ForeignKeyConstraint(['return_id'], ['crm_channel_return.id'], name=op.f('fk_crm_channel_return_line_return_id_crm_channel_return'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_return_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_return_line'))
    )
    with op.batch_alter_table('crm_channel_return_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_return_line_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_line_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_return_line_return_id'), ['return_id'], unique=False)

    op.create_table('crm_channel_shipment_line',
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('distributor_id', sa.Integer(), nullable=False),
    sa.Column('ship_date', sa.Date(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('batch', sa.String(length=40), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_shipment_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'], name=op.f('fk_crm_channel_shipment_line_distributor_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_shipment_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_shipment_line_product_id_crm_product')),
    sa.ForeignKeyConstraint(['shipment_id'], ['crm_channel_shipment.id'], name=op.f('fk_crm_channel_shipment_line_shipment_id_crm_channel_shipment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_shipment_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_shipment_line'))
    )
    with op.batch_alter_table('crm_channel_shipment_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_line_batch'), ['batch'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_line_distributor_id'), ['distributor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_line_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_line_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_shipment_line_shipment_id'), ['shipment_id'], unique=False)

    op.create_table('crm_channel_terminal_request_line',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_terminal_request_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_channel_terminal_request_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_channel_terminal_request_line_product_id_crm_product')),
    sa.ForeignKeyConstraint(['request_id'], ['crm_channel_terminal_request.id'], name=op.f('fk_crm_channel_terminal_request_line_request_id_crm_channel_terminal_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_channel_terminal_request_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_channel_terminal_request_line'))
    )
    with op.batch_alter_table('crm_channel_terminal_request_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_line_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_line_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_channel_terminal_request_line_request_id'), ['request_id'], unique=False)

    # The column @extends(Customer) adds (CustomerChannel.channel_tier).
    with op.batch_alter_table('crm_customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel_tier', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_crm_customer_channel_tier'), ['channel_tier'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('crm_customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_customer_channel_tier'))
        batch_op.drop_column('channel_tier')

    with op.batch_alter_table('crm_channel_terminal_request_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_line_request_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_line_division_id'))

    op.drop_table('crm_channel_terminal_request_line')
    with op.batch_alter_table('crm_channel_shipment_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_line_shipment_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_line_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_line_distributor_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_line_batch'))

    op.drop_table('crm_channel_shipment_line')
    with op.batch_alter_table('crm_channel_return_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_line_return_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_line_division_id'))

    op.drop_table('crm_channel_return_line')
    with op.batch_alter_table('crm_channel_terminal_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_terminal_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_order_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_terminal_request_distributor_id'))

    op.drop_table('crm_channel_terminal_request')
    with op.batch_alter_table('crm_channel_shipment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_ship_date'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_order_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_shipment_distributor_id'))

    op.drop_table('crm_channel_shipment')
    with op.batch_alter_table('crm_channel_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_order_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_number'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_distributor_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_return_department_id'))

    op.drop_table('crm_channel_return')
    with op.batch_alter_table('crm_channel_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_line_order_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_line_order_date'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_line_division_id'))

    op.drop_table('crm_channel_order_line')
    with op.batch_alter_table('crm_channel_rebate_tier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_tier_policy_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_tier_division_id'))

    op.drop_table('crm_channel_rebate_tier')
    with op.batch_alter_table('crm_channel_rebate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_policy_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_distributor_id'))

    op.drop_table('crm_channel_rebate')
    with op.batch_alter_table('crm_channel_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_number'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_erp_order_no'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_distributor_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_department_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_order_agreement_id'))

    op.drop_table('crm_channel_order')
    with op.batch_alter_table('crm_channel_flow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_product_id'))
        batch_op.drop_index('ix_crm_channel_flow_period')
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_customer_id'))

    op.drop_table('crm_channel_flow')
    with op.batch_alter_table('crm_channel_agreement_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_line_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_line_agreement_id'))

    op.drop_table('crm_channel_agreement_line')
    with op.batch_alter_table('crm_channel_territory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_territory_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_territory_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_territory_distributor_id'))

    op.drop_table('crm_channel_territory')
    with op.batch_alter_table('crm_channel_supplier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_supplier_upstream_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_supplier_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_supplier_customer_id'))

    op.drop_table('crm_channel_supplier')
    with op.batch_alter_table('crm_channel_stock_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_report_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_report_period_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_report_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_report_distributor_id'))

    op.drop_table('crm_channel_stock_report')
    with op.batch_alter_table('crm_channel_stock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_period_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_stock_distributor_id'))

    op.drop_table('crm_channel_stock')
    with op.batch_alter_table('crm_channel_rebate_policy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_policy_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_rebate_policy_distributor_id'))

    op.drop_table('crm_channel_rebate_policy')
    with op.batch_alter_table('crm_channel_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_plan_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_plan_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_plan_month'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_plan_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_plan_distributor_id'))

    op.drop_table('crm_channel_plan')
    with op.batch_alter_table('crm_channel_opening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_opening_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_opening_period_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_opening_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_opening_distributor_id'))

    op.drop_table('crm_channel_opening')
    with op.batch_alter_table('crm_channel_inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_inspection_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_inspection_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_inspection_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_inspection_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_inspection_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_inspection_distributor_id'))

    op.drop_table('crm_channel_inspection')
    with op.batch_alter_table('crm_channel_flow_layout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_layout_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_layout_distributor_id'))

    op.drop_table('crm_channel_flow_layout')
    with op.batch_alter_table('crm_channel_flow_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_import_period'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_import_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_import_distributor_id'))

    op.drop_table('crm_channel_flow_import')
    with op.batch_alter_table('crm_channel_flow_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_alias_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_alias_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_alias_distributor_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_flow_alias_customer_id'))

    op.drop_table('crm_channel_flow_alias')
    with op.batch_alter_table('crm_channel_authorised_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_authorised_product_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_authorised_product_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_authorised_product_distributor_id'))

    op.drop_table('crm_channel_authorised_product')
    with op.batch_alter_table('crm_channel_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_number'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_distributor_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_agreement_department_id'))

    op.drop_table('crm_channel_agreement')
    with op.batch_alter_table('crm_channel_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_adjustment_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_adjustment_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_adjustment_period_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_adjustment_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_adjustment_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_adjustment_distributor_id'))

    op.drop_table('crm_channel_adjustment')
    with op.batch_alter_table('crm_channel_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_channel_period_state'))
        batch_op.drop_index(batch_op.f('ix_crm_channel_period_division_id'))

    op.drop_table('crm_channel_period')
