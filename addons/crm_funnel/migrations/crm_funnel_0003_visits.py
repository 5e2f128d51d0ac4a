"""crm_funnel: reps' visits, meetings and calls (拜访记录).

Visits are crm_team's since #17: crm_funnel depends on crm_team, whose first
revision creates `crm_visit` in a new database (before this one runs). Then this
revision only adds the column crm_funnel keeps there, the visit's opportunity.
In a database made before #17 it created the whole table, which crm_team then
took over with its rows.

Revision ID: crm_funnel_0003
Revises: crm_funnel_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'crm_funnel_0003'
down_revision = 'crm_funnel_0002'
branch_labels = None
depends_on = None


def _add_opportunity() -> None:
    """crm_team made the table: only the opportunity column is crm_funnel's."""
    with op.batch_alter_table('crm_visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opportunity_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_crm_visit_opportunity_id_crm_opportunity'),
                                    'crm_opportunity', ['opportunity_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_crm_visit_opportunity_id'), ['opportunity_id'],
                              unique=False)


def _team_owns_visits() -> bool:
    columns = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('crm_visit')}
    return 'checkin_at' in columns


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table('crm_visit'):
        _add_opportunity()
        return
    op.create_table('crm_visit',
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=255), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('create_date', sa.DateTime(), nullable=False),
    sa.Column('write_date', sa.DateTime(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('create_uid', sa.Integer(), nullable=True),
    sa.Column('write_uid', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['crm_contact.id'], name=op.f('fk_crm_visit_contact_id_crm_contact'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['create_uid'], ['kehu_user.id'], name=op.f('fk_crm_visit_create_uid_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['customer_id'], ['crm_customer.id'], name=op.f('fk_crm_visit_customer_id_crm_customer')),
    sa.ForeignKeyConstraint(['department_id'], ['kehu_department.id'], name=op.f('fk_crm_visit_department_id_kehu_department')),
    sa.ForeignKeyConstraint(['division_id'], ['kehu_division.id'], name=op.f('fk_crm_visit_division_id_kehu_division')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['crm_opportunity.id'], name=op.f('fk_crm_visit_opportunity_id_crm_opportunity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['kehu_user.id'], name=op.f('fk_crm_visit_owner_id_kehu_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['kehu_region.id'], name=op.f('fk_crm_visit_region_id_kehu_region')),
    sa.ForeignKeyConstraint(['write_uid'], ['kehu_user.id'], name=op.f('fk_crm_visit_write_uid_kehu_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crm_visit'))
    )
    with op.batch_alter_table('crm_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crm_visit_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_visit_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_visit_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_visit_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_visit_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index('ix_crm_visit_owner_day', ['owner_id', 'visited_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_crm_visit_region_id'), ['region_id'], unique=False)



def downgrade() -> None:
    if _team_owns_visits():  # uninstalling crm_funnel: crm_team's visits stay
        with op.batch_alter_table('crm_visit', schema=None) as batch_op:
            batch_op.drop_index(batch_op.f('ix_crm_visit_opportunity_id'))
            batch_op.drop_constraint(op.f('fk_crm_visit_opportunity_id_crm_opportunity'),
                                     type_='foreignkey')
            batch_op.drop_column('opportunity_id')
        return
    with op.batch_alter_table('crm_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_visit_region_id'))
        batch_op.drop_index('ix_crm_visit_owner_day')
        batch_op.drop_index(batch_op.f('ix_crm_visit_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_crm_visit_division_id'))
        batch_op.drop_index(batch_op.f('ix_crm_visit_department_id'))
        batch_op.drop_index(batch_op.f('ix_crm_visit_customer_id'))
        batch_op.drop_index(batch_op.f('ix_crm_visit_contact_id'))

    op.drop_table('crm_visit')
