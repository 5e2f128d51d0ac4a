"""crm_funnel: decision trees, competitors and partners on deals, contracts, leads and
their assignment rules, quotes and price history, forecast snapshots, sales targets.

Revision ID: crm_funnel_0002
Revises: crm_funnel_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'crm_funnel_0002'
down_revision = 'crm_funnel_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crm_funnel_setting',
    sa.Column('max_price_drop', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_funnel_setting_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_funnel_setting_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_funnel_setting_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_funnel_setting')),
    sa.UniqueConstraint('division_id', name='uq_crm_funnel_setting_division')
    )
    with op.batch_alter_table('crm_funnel_setting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_funnel_setting_division_id'), ['division_id'], unique=False)

    op.create_table('crm_forecast_snapshot',
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('opportunities', sa.Integer(), nullable=False),
    sa.Column('pipeline', sa.BigInteger(), nullable=False),
    sa.Column('weighted', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_forecast_snapshot_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_forecast_snapshot_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_forecast_snapshot_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_forecast_snapshot_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_forecast_snapshot_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_forecast_snapshot'))
    )
    with op.batch_alter_table('crm_forecast_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_forecast_snapshot_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_forecast_snapshot_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_forecast_snapshot_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_crm_forecast_snapshot_taken', ['taken_on', 'month'], unique=False)

    op.create_table('crm_lead_rule',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('industry_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('product_line_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('cap', sa.Integer(), nullable=False),
    sa.Column('follow_up_days', sa.Integer(), nullable=False),
    sa.Column('return_to_pool', sa.Boolean(), nullable=False),
    sa.Column('last_user_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_lead_rule_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_lead_rule_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['industry_id'], ['crm_industry.id'], name=op.f('fk_crm_lead_rule_industry_id_crm_industry')),
    sa.ForeignKeyConstraint(['last_user_id'], ['kehu_user.id'], name=op.f('fk_crm_lead_rule_last_user_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_line_id'], ['kehu_product_line.id'], name=op.f('fk_crm_lead_rule_product_line_id_kehu_product_line')),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_lead_rule_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['team_id'], ['kehu_department.id'], name=op.f('fk_crm_lead_rule_team_id_kehu_department')),
    sa.ForeignKeyConstraint(['user_id'], ['kehu_user.id'], name=op.f('fk_crm_lead_rule_user_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_lead_rule_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_lead_rule'))
    )
    with op.batch_alter_table('crm_lead_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_lead_rule_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_rule_industry_id'), ['industry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_rule_product_line_id'), ['product_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_rule_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_rule_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_rule_user_id'), ['user_id'], unique=False)

    op.create_table('crm_sales_target',
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_sales_target_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_sales_target_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_sales_target_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['parent_id'], ['crm_sales_target.id'], name=op.f('fk_crm_sales_target_parent_id_crm_sales_target'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['kehu_user.id'], name=op.f('fk_crm_sales_target_user_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_sales_target_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_sales_target'))
    )
    with op.batch_alter_table('crm_sales_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_sales_target_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_sales_target_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_sales_target_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_sales_target_user_id'), ['user_id'], unique=False)

    op.create_table('crm_lead',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('industry_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('product_line_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=12), server_default='pool', nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('reject_reason', sa.String(length=255), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_lead_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_lead_customer_id_crm_customer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_lead_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_lead_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['industry_id'], ['crm_industry.id'], name=op.f('fk_crm_lead_industry_id_crm_industry')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_lead_opportunity_id_crm_opportunity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_lead_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_line_id'], ['kehu_product_line.id'], name=op.f('fk_crm_lead_product_line_id_kehu_product_line')),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_lead_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['source_id'], ['crm_lead_source.id'], name=op.f('fk_crm_lead_source_id_crm_lead_source')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_lead_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_lead'))
    )
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_lead_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_industry_id'), ['industry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_product_line_id'), ['product_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_lead_source_id'), ['source_id'], unique=False)
        batch_op.create_index('ix_crm_lead_state_deadline', ['state', 'deadline'], unique=False)

    op.create_table('crm_opportunity_competitor',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('competitor_id', sa.Integer(), nullable=False),
    sa.Column('offer', sa.BigInteger(), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['competitor_id'], ['crm_funnel_competitor.id'], name=op.f('fk_crm_opportunity_competitor_competitor_id_crm_funnel_competitor')),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_competitor_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_opportunity_competitor_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_opportunity_competitor_opportunity_id_crm_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_competitor_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_opportunity_competitor'))
    )
    with op.batch_alter_table('crm_opportunity_competitor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_opportunity_competitor_competitor_id'), ['competitor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_competitor_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_competitor_opportunity_id'), ['opportunity_id'], unique=False)

    op.create_table('crm_opportunity_contact',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('attitude', sa.String(length=16), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['crm_contact.id'], name=op.f('fk_crm_opportunity_contact_contact_id_crm_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_contact_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_opportunity_contact_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_opportunity_contact_opportunity_id_crm_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_contact_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_opportunity_contact'))
    )
    with op.batch_alter_table('crm_opportunity_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_opportunity_contact_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_contact_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_contact_opportunity_id'), ['opportunity_id'], unique=False)

    op.create_table('crm_opportunity_partner',
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_partner_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_opportunity_partner_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_opportunity_partner_opportunity_id_crm_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['crm_customer.id'], name=op.f('fk_crm_opportunity_partner_partner_id_crm_customer')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_opportunity_partner_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_opportunity_partner'))
    )
    with op.batch_alter_table('crm_opportunity_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_opportunity_partner_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_partner_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_opportunity_partner_partner_id'), ['partner_id'], unique=False)

    op.create_table('crm_quote',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('quote_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=12), server_default='draft', nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('approval_reason', sa.String(length=500), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('product_line_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_quote_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_quote_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_quote_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_quote_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_quote_opportunity_id_crm_opportunity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_quote_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_line_id'], ['kehu_product_line.id'], name=op.f('fk_crm_quote_product_line_id_kehu_product_line')),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_quote_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_quote_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_quote')),
    sa.UniqueConstraint('division_id', 'number', name=op.f('uq_crm_quote_division_id'))
    )
    with op.batch_alter_table('crm_quote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_quote_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_product_line_id'), ['product_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_region_id'), ['region_id'], unique=False)

    op.create_table('crm_contract',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('product_line_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_contract_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_contract_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_contract_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_contract_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_contract_opportunity_id_crm_opportunity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_contract_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['product_line_id'], ['kehu_product_line.id'], name=op.f('fk_crm_contract_product_line_id_kehu_product_line')),
    sa.ForeignKeyConstraint(['quote_id'], ['crm_quote.id'], name=op.f('fk_crm_contract_quote_id_crm_quote'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_contract_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_contract_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_contract')),
    sa.UniqueConstraint('division_id', 'number', name=op.f('uq_crm_contract_division_id'))
    )
    with op.batch_alter_table('crm_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_contract_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_product_line_id'), ['product_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_quote_id'), ['quote_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_region_id'), ['region_id'], unique=False)

    op.create_table('crm_price_history',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('quoted_on', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_price_history_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_price_history_customer_id_crm_customer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_price_history_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_price_history_product_id_crm_product')),
    sa.ForeignKeyConstraint(['quote_id'], ['crm_quote.id'], name=op.f('fk_crm_price_history_quote_id_crm_quote'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['kehu_user.id'], name=op.f('fk_crm_price_history_user_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_price_history_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_price_history'))
    )
    with op.batch_alter_table('crm_price_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_price_history_division_id'), ['division_id'], unique=False)
        batch_op.create_index('ix_crm_price_history_pair', ['customer_id', 'product_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_price_history_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_price_history_quote_id'), ['quote_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_price_history_user_id'), ['user_id'], unique=False)

    op.create_table('crm_quote_line',
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_quote_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_quote_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_quote_line_product_id_crm_product')),
    sa.ForeignKeyConstraint(['quote_id'], ['crm_quote.id'], name=op.f('fk_crm_quote_line_quote_id_crm_quote'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_quote_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_quote_line'))
    )
    with op.batch_alter_table('crm_quote_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_quote_line_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_line_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_quote_line_quote_id'), ['quote_id'], unique=False)

    op.create_table('crm_contract_line',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['crm_contract.id'], name=op.f('fk_crm_contract_line_contract_id_crm_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_contract_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_contract_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'], name=op.f('fk_crm_contract_line_product_id_crm_product')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_contract_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_contract_line'))
    )
    with op.batch_alter_table('crm_contract_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_contract_line_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_line_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_contract_line_product_id'), ['product_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('crm_contract_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_contract_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_line_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_line_contract_id'))

    op.drop_table('crm_contract_line')
    with op.batch_alter_table('crm_quote_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_quote_line_quote_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_line_division_id'))

    op.drop_table('crm_quote_line')
    with op.batch_alter_table('crm_price_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_price_history_user_id'))
        batch_op.drop_index(batch_op.f('ix_crm_price_history_quote_id'))
        batch_op.drop_index(batch_op.f('ix_crm_price_history_product_id'))
        batch_op.drop_index('ix_crm_price_history_pair')
        batch_op.drop_index(batch_op.f('ix_crm_price_history_division_id'))

    op.drop_table('crm_price_history')
    with op.batch_alter_table('crm_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_contract_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_quote_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_product_line_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_department_id'))
        batch_op.drop_index(batch_op.f('ix_crm_contract_customer_id'))

    op.drop_table('crm_contract')
    with op.batch_alter_table('crm_quote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_quote_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_product_line_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_department_id'))
        batch_op.drop_index(batch_op.f('ix_crm_quote_customer_id'))

    op.drop_table('crm_quote')
    with op.batch_alter_table('crm_opportunity_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_partner_partner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_partner_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_partner_division_id'))

    op.drop_table('crm_opportunity_partner')
    with op.batch_alter_table('crm_opportunity_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_contact_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_contact_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_contact_contact_id'))

    op.drop_table('crm_opportunity_contact')
    with op.batch_alter_table('crm_opportunity_competitor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_competitor_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_competitor_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_opportunity_competitor_competitor_id'))

    op.drop_table('crm_opportunity_competitor')
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.drop_index('ix_crm_lead_state_deadline')
        batch_op.drop_index(batch_op.f('ix_crm_lead_source_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_product_line_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_industry_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_department_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_customer_id'))

    op.drop_table('crm_lead')
    with op.batch_alter_table('crm_sales_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_sales_target_user_id'))
        batch_op.drop_index(batch_op.f('ix_crm_sales_target_parent_id'))
        batch_op.drop_index(batch_op.f('ix_crm_sales_target_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_sales_target_department_id'))

    op.drop_table('crm_sales_target')
    with op.batch_alter_table('crm_lead_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_lead_rule_user_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_rule_team_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_rule_region_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_rule_product_line_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_rule_industry_id'))
        batch_op.drop_index(batch_op.f('ix_crm_lead_rule_division_id'))

    op.drop_table('crm_lead_rule')
    with op.batch_alter_table('crm_forecast_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_crm_forecast_snapshot_taken')
        batch_op.drop_index(batch_op.f('ix_crm_forecast_snapshot_owner_id'))
        batch_op.drop_index(batch_op.f('ix_crm_forecast_snapshot_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_forecast_snapshot_department_id'))

    op.drop_table('crm_forecast_snapshot')
    with op.batch_alter_table('crm_funnel_setting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_funnel_setting_division_id'))

    op.drop_table('crm_funnel_setting')
