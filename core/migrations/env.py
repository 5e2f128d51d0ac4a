"""Alembic environment: runs on the connection that core.migrate hands over."""

from __future__ import annotations

from typing import Literal

from alembic import context

from core.migrate import VERSION_TABLE
from core.orm import Base, Money

connection = context.config.attributes["connection"]


def render_item(kind: str, item: object, autogen_context: object) -> str | Literal[False]:
    """Write Money columns as the BigInteger of fen they are stored as."""
    if kind == "type" and isinstance(item, Money):
        return "sa.BigInteger()"
    return False


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=context.config.attributes.get("include_object"),
    # `kehu db revision` refuses an empty revision (core.revisions).
    process_revision_directives=context.config.attributes.get("process_revision_directives"),
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
