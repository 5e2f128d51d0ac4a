"""crm_funnel: the competitors deals meet are crm_customer's competitor master (#16).

Revision ID: crm_funnel_0007
Revises: crm_funnel_0006

In a database made before #16, crm_customer_0007 renamed this addon's list
(`crm_funnel_competitor`) to the master `crm_competitor`, and every reference
followed: nothing is left to do here. Where crm_customer made the master first
(a new database, or crm_funnel installed later), crm_funnel_0001 has just made
its own list again: its rows (kept with their ids) move to the master, every
foreign key that points at it (deals' "competitor that won", the competitors on
each deal) is pointed at the master, and the list goes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_funnel_0007"
down_revision = "crm_funnel_0006"
branch_labels = None
depends_on = None  # the installer upgrades crm_customer first (a dependency)

OLD, NEW = "crm_funnel_competitor", "crm_competitor"


def _move_rows(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    old = sa.Table(OLD, metadata, autoload_with=connection)
    new = sa.Table(NEW, metadata, autoload_with=connection)
    columns = [c.name for c in old.c if c.name in new.c]
    connection.execute(new.insert().from_select(columns, sa.select(*[old.c[c] for c in columns])
                                                .order_by(old.c.id)))
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{NEW}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {NEW}), false)"))


def _repoint(connection: sa.Connection) -> None:
    """Every foreign key to the old list points at the master."""
    inspector = sa.inspect(connection)
    for table in inspector.get_table_names():
        if table == OLD:
            continue
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] != OLD:
                continue
            column = fk["constrained_columns"][0]
            with op.batch_alter_table(table) as batch:
                if fk["name"]:
                    batch.drop_constraint(fk["name"], type_="foreignkey")
                batch.create_foreign_key(op.f(f"fk_{table}_{column}_{NEW}"), NEW, [column],
                                         ["id"], ondelete=fk["options"].get("ondelete"))


def upgrade() -> None:
    connection = op.get_bind()
    inspector = sa.inspect(connection)
    if not inspector.has_table(OLD) or not inspector.has_table(NEW):
        return  # crm_customer_0007 renamed it into the master, or will
    _move_rows(connection)
    _repoint(connection)
    op.drop_index(op.f("ix_crm_funnel_competitor_name"), table_name=OLD)
    op.drop_index(op.f("ix_crm_funnel_competitor_division_id"), table_name=OLD)
    op.drop_table(OLD)


def downgrade() -> None:
    """The competitors stay crm_customer's; crm_funnel_0001's downgrade drops an empty list
    of the old name, and the deals' references to the master go with their tables."""
    op.create_table(
        OLD,
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("create_date", sa.DateTime(), nullable=False),
        sa.Column("write_date", sa.DateTime(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("create_uid", sa.Integer(), nullable=True),
        sa.Column("write_uid", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_funnel_competitor")),
    )
    op.create_index(op.f("ix_crm_funnel_competitor_division_id"), OLD, ["division_id"])
    op.create_index(op.f("ix_crm_funnel_competitor_name"), OLD, ["name"])
