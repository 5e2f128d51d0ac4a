"""crm_customer: the competitor master (竞争对手), one list for every addon (#16).

Revision ID: crm_customer_0007
Revises: crm_customer_0006

Competitors were crm_funnel's list (`crm_funnel_competitor`, crm_funnel_0001), so
divisions without the funnel had none. In a database that has that table, this
revision renames it to `crm_competitor`: every row keeps its id and every column
(the company record crm_marketing added too), and the references to it (deals'
"competitor that won", the competitors on each deal, marketing's competitor
products, moves and tenders) follow the rename on SQLite and PostgreSQL alike.
The chatter, attachments and change log of a competitor are renamed with it. In
a new database it creates the table; crm_funnel_0007 then moves onto it what
crm_funnel_0001 points at its old list.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_customer_0007"
down_revision = "crm_customer_0006"
branch_labels = None
depends_on = None

OLD, NEW = "crm_funnel_competitor", "crm_competitor"


def rename_record_references(connection: sa.Connection, old: str, new: str) -> None:
    """The kernel's tables that name a record by its table (chatter, attachments, change
    log, approvals, follows...) name `new` where they named `old`."""
    inspector = sa.inspect(connection)
    metadata = sa.MetaData()
    for name in inspector.get_table_names():
        if not name.startswith("kehu_"):
            continue
        if "model" not in {column["name"] for column in inspector.get_columns(name)}:
            continue
        table = sa.Table(name, metadata, autoload_with=connection)
        connection.execute(table.update().where(table.c.model == old).values(model=new))


def _rename_existing() -> None:
    connection = op.get_bind()
    inspector = sa.inspect(connection)
    indexes = inspector.get_indexes(OLD)
    constraints = [inspector.get_pk_constraint(OLD)["name"],
                   *[fk["name"] for fk in inspector.get_foreign_keys(OLD)]]
    op.rename_table(OLD, NEW)
    for index in indexes:  # ix_crm_funnel_competitor_name → ix_crm_competitor_name
        name = index["name"]
        if not name or not name.startswith(f"ix_{OLD}_"):
            continue
        op.drop_index(name, table_name=NEW)
        op.create_index(name.replace(OLD, NEW, 1), NEW, index["column_names"],
                        unique=bool(index["unique"]))
    if connection.dialect.name == "postgresql":
        for constraint in constraints:
            if constraint and OLD in constraint:
                op.execute(f'ALTER TABLE {NEW} RENAME CONSTRAINT "{constraint}" '
                           f'TO "{constraint.replace(OLD, NEW)}"')
        op.execute(f"ALTER SEQUENCE IF EXISTS {OLD}_id_seq RENAME TO {NEW}_id_seq")
    rename_record_references(connection, OLD, NEW)


def _create() -> None:
    op.create_table(
        NEW,
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("create_date", sa.DateTime(), nullable=False),
        sa.Column("write_date", sa.DateTime(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=False),
        sa.Column("create_uid", sa.Integer(), nullable=True),
        sa.Column("write_uid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["create_uid"], ["kehu_user.id"],
                                name=op.f("fk_crm_competitor_create_uid_kehu_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["division_id"], ["kehu_division.id"],
                                name=op.f("fk_crm_competitor_division_id_kehu_division")),
        sa.ForeignKeyConstraint(["write_uid"], ["kehu_user.id"],
                                name=op.f("fk_crm_competitor_write_uid_kehu_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_competitor")),
    )
    op.create_index(op.f("ix_crm_competitor_division_id"), NEW, ["division_id"], unique=False)
    op.create_index(op.f("ix_crm_competitor_name"), NEW, ["name"], unique=False)


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table(OLD):
        _rename_existing()
    else:
        _create()


def downgrade() -> None:
    """The master goes with crm_customer (the addons that name it are uninstalled first)."""
    op.drop_index(op.f("ix_crm_competitor_name"), table_name=NEW)
    op.drop_index(op.f("ix_crm_competitor_division_id"), table_name=NEW)
    op.drop_table(NEW)
