"""crm_expense 0.1: expense types, requests, claims and lines, accrual schemes and accruals.

Revision ID: crm_expense_0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_expense_0001"
down_revision = None
branch_labels = ("crm_expense",)
depends_on = None


def upgrade() -> None:
    op.create_table('crm_expense_type',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('limit_amount', sa.BigInteger(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_type_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_expense_type_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_type_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_expense_type')),
    sa.UniqueConstraint('division_id', 'code', name=op.f('uq_crm_expense_type_division_id'))
    )
    op.create_index(op.f('ix_crm_expense_type_division_id'), 'crm_expense_type', ['division_id'], unique=False)
    op.create_table('crm_expense_accrual_scheme',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('basis', sa.String(length=16), server_default='rep', nullable=False),
    sa.Column('rate', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_accrual_scheme_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_expense_accrual_scheme_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['type_id'], ['crm_expense_type.id'], name=op.f('fk_crm_expense_accrual_scheme_type_id_crm_expense_type')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_accrual_scheme_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_expense_accrual_scheme'))
    )
    op.create_index(op.f('ix_crm_expense_accrual_scheme_division_id'), 'crm_expense_accrual_scheme', ['division_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_accrual_scheme_type_id'), 'crm_expense_accrual_scheme', ['type_id'], unique=False)
    op.create_table('crm_expense_claim',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('claimant_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('total', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['claimant_id'], ['kehu_user.id'], name=op.f('fk_crm_expense_claim_claimant_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_claim_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_expense_claim_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_expense_claim_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_claim_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_expense_claim'))
    )
    op.create_index(op.f('ix_crm_expense_claim_claimant_id'), 'crm_expense_claim', ['claimant_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_department_id'), 'crm_expense_claim', ['department_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_division_id'), 'crm_expense_claim', ['division_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_state'), 'crm_expense_claim', ['state'], unique=False)
    op.create_table('crm_expense_accrual',
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('base_amount', sa.BigInteger(), nullable=False),
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
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_accrual_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_expense_accrual_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_expense_accrual_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['scheme_id'], ['crm_expense_accrual_scheme.id'], name=op.f('fk_crm_expense_accrual_scheme_id_crm_expense_accrual_scheme')),
    sa.ForeignKeyConstraint(['user_id'], ['kehu_user.id'], name=op.f('fk_crm_expense_accrual_user_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_accrual_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_expense_accrual')),
    sa.UniqueConstraint('scheme_id', 'period', 'user_id', 'customer_id', name=op.f('uq_crm_expense_accrual_scheme_id'))
    )
    op.create_index(op.f('ix_crm_expense_accrual_customer_id'), 'crm_expense_accrual', ['customer_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_accrual_division_id'), 'crm_expense_accrual', ['division_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_accrual_scheme_id'), 'crm_expense_accrual', ['scheme_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_accrual_state'), 'crm_expense_accrual', ['state'], unique=False)
    op.create_index(op.f('ix_crm_expense_accrual_user_id'), 'crm_expense_accrual', ['user_id'], unique=False)
    op.create_table('crm_expense_budget',
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='draft', nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_budget_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_expense_budget_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_expense_budget_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_expense_budget_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['requester_id'], ['kehu_user.id'], name=op.f('fk_crm_expense_budget_requester_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['type_id'], ['crm_expense_type.id'], name=op.f('fk_crm_expense_budget_type_id_crm_expense_type')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_budget_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_expense_budget'))
    )
    op.create_index(op.f('ix_crm_expense_budget_campaign_id'), 'crm_expense_budget', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_budget_customer_id'), 'crm_expense_budget', ['customer_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_budget_department_id'), 'crm_expense_budget', ['department_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_budget_division_id'), 'crm_expense_budget', ['division_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_budget_opportunity_id'), 'crm_expense_budget', ['opportunity_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_budget_requester_id'), 'crm_expense_budget', ['requester_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_budget_state'), 'crm_expense_budget', ['state'], unique=False)
    op.create_index(op.f('ix_crm_expense_budget_type_id'), 'crm_expense_budget', ['type_id'], unique=False)
    op.create_table('crm_expense_claim_line',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('budget_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('justification', sa.String(length=500), nullable=True),
    sa.Column('claimant_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['budget_id'], ['crm_expense_budget.id'], name=op.f('fk_crm_expense_claim_line_budget_id_crm_expense_budget')),
    sa.ForeignKeyConstraint(['claim_id'], ['crm_expense_claim.id'], name=op.f('fk_crm_expense_claim_line_claim_id_crm_expense_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claimant_id'], ['kehu_user.id'], name=op.f('fk_crm_expense_claim_line_claimant_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_claim_line_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_expense_claim_line_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_expense_claim_line_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_expense_claim_line_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['type_id'], ['crm_expense_type.id'], name=op.f('fk_crm_expense_claim_line_type_id_crm_expense_type')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_expense_claim_line_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_expense_claim_line'))
    )
    op.create_index(op.f('ix_crm_expense_claim_line_budget_id'), 'crm_expense_claim_line', ['budget_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_campaign_id'), 'crm_expense_claim_line', ['campaign_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_claim_id'), 'crm_expense_claim_line', ['claim_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_claimant_id'), 'crm_expense_claim_line', ['claimant_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_customer_id'), 'crm_expense_claim_line', ['customer_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_department_id'), 'crm_expense_claim_line', ['department_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_division_id'), 'crm_expense_claim_line', ['division_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_opportunity_id'), 'crm_expense_claim_line', ['opportunity_id'], unique=False)
    op.create_index(op.f('ix_crm_expense_claim_line_type_id'), 'crm_expense_claim_line', ['type_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_crm_expense_claim_line_type_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_opportunity_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_division_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_department_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_customer_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_claimant_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_claim_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_campaign_id'), table_name='crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_claim_line_budget_id'), table_name='crm_expense_claim_line')
    op.drop_table('crm_expense_claim_line')
    op.drop_index(op.f('ix_crm_expense_budget_type_id'), table_name='crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_budget_state'), table_name='crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_budget_requester_id'), table_name='crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_budget_opportunity_id'), table_name='crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_budget_division_id'), table_name='crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_budget_department_id'), table_name='crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_budget_customer_id'), table_name='crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_budget_campaign_id'), table_name='crm_expense_budget')
    op.drop_table('crm_expense_budget')
    op.drop_index(op.f('ix_crm_expense_accrual_user_id'), table_name='crm_expense_accrual')
    op.drop_index(op.f('ix_crm_expense_accrual_state'), table_name='crm_expense_accrual')
    op.drop_index(op.f('ix_crm_expense_accrual_scheme_id'), table_name='crm_expense_accrual')
    op.drop_index(op.f('ix_crm_expense_accrual_division_id'), table_name='crm_expense_accrual')
    op.drop_index(op.f('ix_crm_expense_accrual_customer_id'), table_name='crm_expense_accrual')
    op.drop_table('crm_expense_accrual')
    op.drop_index(op.f('ix_crm_expense_claim_state'), table_name='crm_expense_claim')
    op.drop_index(op.f('ix_crm_expense_claim_division_id'), table_name='crm_expense_claim')
    op.drop_index(op.f('ix_crm_expense_claim_department_id'), table_name='crm_expense_claim')
    op.drop_index(op.f('ix_crm_expense_claim_claimant_id'), table_name='crm_expense_claim')
    op.drop_table('crm_expense_claim')
    op.drop_index(op.f('ix_crm_expense_accrual_scheme_type_id'), table_name='crm_expense_accrual_scheme')
    op.drop_index(op.f('ix_crm_expense_accrual_scheme_division_id'), table_name='crm_expense_accrual_scheme')
    op.drop_table('crm_expense_accrual_scheme')
    op.drop_index(op.f('ix_crm_expense_type_division_id'), table_name='crm_expense_type')
    op.drop_table('crm_expense_type')
