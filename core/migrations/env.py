"""Alembic environment: runs on the connection that core.migrate hands over."""

from __future__ import annotations

from alembic import context

from core.migrate import VERSION_TABLE
from core.orm import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=context.config.attributes.get("include_object"),
)
with context.begin_transaction():
    context.run_migrations()
