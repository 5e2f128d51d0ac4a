"""crm_channel 0.3: receipts of shipments (签收) with their lines, and the order credit
limit of a distributor (a column @extends(Customer) adds).

Revision ID: crm_channel_0002
Revises: crm_channel_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'crm_channel_0002'
down_revision = 'crm_channel_0001'
branch_labels = None
depends_on = None


def _stamps(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('create_date', sa.DateTime(), nullable=False),
        sa.Column('write_date', sa.DateTime(), nullable=False),
        sa.Column('division_id', sa.Integer(), nullable=False),
        sa.Column('create_uid', sa.Integer(), nullable=True),
        sa.Column('write_uid', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'],
                                name=op.f(f'fk_{table}_create_uid_kehu_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'],
                                name=op.f(f'fk_{table}_division_id_kehu_division')),
        sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'],
                                name=op.f(f'fk_{table}_write_uid_kehu_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def upgrade() -> None:
    op.create_table(
        'crm_channel_receipt',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=True),
        sa.Column('distributor_id', sa.Integer(), nullable=True),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('has_differences', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        *_stamps('crm_channel_receipt'),
        sa.ForeignKeyConstraint(['order_id'], ['crm_channel_order.id'],
                                name=op.f('fk_crm_channel_receipt_order_id_crm_channel_order'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shipment_id'], ['crm_channel_shipment.id'],
                                name=op.f('fk_crm_channel_receipt_shipment_id_crm_channel_shipment'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['distributor_id'], ['crm_customer.id'],
                                name=op.f('fk_crm_channel_receipt_distributor_id_crm_customer')),
        sa.ForeignKeyConstraint(['contact_id'], ['crm_contact.id'],
                                name=op.f('fk_crm_channel_receipt_contact_id_crm_contact'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'],
                                name=op.f('fk_crm_channel_receipt_owner_id_kehu_user'),
                                ondelete='SET NULL'),
    )
    with op.batch_alter_table('crm_channel_receipt', schema=None) as batch_op:
        for column in ('division_id', 'order_id', 'shipment_id', 'distributor_id', 'contact_id',
                       'owner_id'):
            batch_op.create_index(batch_op.f(f'ix_crm_channel_receipt_{column}'), [column],
                                  unique=False)

    op.create_table(
        'crm_channel_receipt_line',
        sa.Column('receipt_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('shipped_qty', sa.Integer(), server_default='0', nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('difference', sa.Integer(), server_default='0', nullable=False),
        sa.Column('note', sa.String(length=255), nullable=True),
        *_stamps('crm_channel_receipt_line'),
        sa.ForeignKeyConstraint(['receipt_id'], ['crm_channel_receipt.id'],
                                name=op.f('fk_crm_channel_receipt_line_receipt_id_crm_channel_receipt'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['crm_product.id'],
                                name=op.f('fk_crm_channel_receipt_line_product_id_crm_product')),
    )
    with op.batch_alter_table('crm_channel_receipt_line', schema=None) as batch_op:
        for column in ('division_id', 'receipt_id', 'product_id'):
            batch_op.create_index(batch_op.f(f'ix_crm_channel_receipt_line_{column}'), [column],
                                  unique=False)

    # The column @extends(Customer) adds (CustomerChannel.channel_credit_limit).
    with op.batch_alter_table('crm_customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel_credit_limit', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('crm_customer', schema=None) as batch_op:
        batch_op.drop_column('channel_credit_limit')
    with op.batch_alter_table('crm_channel_receipt_line', schema=None) as batch_op:
        for column in ('division_id', 'receipt_id', 'product_id'):
            batch_op.drop_index(batch_op.f(f'ix_crm_channel_receipt_line_{column}'))
    op.drop_table('crm_channel_receipt_line')
    with op.batch_alter_table('crm_channel_receipt', schema=None) as batch_op:
        for column in ('division_id', 'order_id', 'shipment_id', 'distributor_id', 'contact_id',
                       'owner_id'):
            batch_op.drop_index(batch_op.f(f'ix_crm_channel_receipt_{column}'))
    op.drop_table('crm_channel_receipt')
