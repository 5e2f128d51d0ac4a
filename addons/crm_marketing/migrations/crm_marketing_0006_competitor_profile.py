"""crm_marketing: the company record on the competitor master (#16).

Revision ID: crm_marketing_0006
Revises: crm_marketing_0005

The profile (size, strengths, weaknesses, regions, key customers, website) was
the bridge's (crm_marketing_funnel_0001, on crm_funnel's list). crm_customer_0007
renamed that list into the master with its columns and values: where they are
there, they stay and are crm_marketing's from now on; elsewhere they are added.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "crm_marketing_0006"
down_revision = "crm_marketing_0005"
branch_labels = None
depends_on = None  # the installer upgrades crm_customer first (a dependency)

TABLE = "crm_competitor"
COLUMNS = [
    ("size", sa.String(length=8)),
    ("strengths", sa.Text()),
    ("weaknesses", sa.Text()),
    ("regions", sa.String(length=500)),
    ("key_customers", sa.String(length=500)),
    ("website", sa.String(length=200)),
]


def upgrade() -> None:
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(TABLE)}
    missing = [(name, kind) for name, kind in COLUMNS if name not in present]
    if missing:
        with op.batch_alter_table(TABLE, schema=None) as batch_op:
            for name, kind in missing:
                batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for name, _kind in reversed(COLUMNS):
            batch_op.drop_column(name)
