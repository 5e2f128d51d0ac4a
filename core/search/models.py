"""The search token table: what the global search matches, kept up to date on write."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.orm import Base


class SearchToken(Base):
    """One searchable token of one record: a word, a suffix, its pinyin or initials.

    A search is a prefix range on (model, token): `token >= 'njxx' AND token <
    'njxy'`, on the index, never a scan of the business table.
    """

    __tablename__ = "kehu_search_token"
    __table_args__ = (
        # text_pattern_ops: PostgreSQL serves LIKE 'nj%' from the index whatever the collation.
        sa.Index("ix_kehu_search_token_lookup", "model", "token", "res_id",
                 postgresql_ops={"token": "text_pattern_ops"}),
        sa.Index("ix_kehu_search_token_record", "model", "res_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    token: Mapped[str] = mapped_column(sa.String(64))
