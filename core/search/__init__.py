"""Global search (#18): one box that finds records of every model declared searchable.

An addon returns `Searchable(model, fields=[...])` from
`kehu_register_searchables`. The kernel keeps a token table
(`kehu_search_token`) up to date on every write of those models (the flush
and bulk import), with each field's words, their suffixes, and for Chinese
the pinyin and pinyin initials (南京新星 → "nanjingxinxing", "njxx"), so a
search is an indexed prefix match, never a scan of the business tables. The
matches are then read from the model itself as the user: record rules apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Searchable:
    """A model the global search finds, by the values of `fields`.

    `title` names a result (the model's display column when None); `detail`
    fields are shown beside it (code, phone...).
    """

    model: type
    fields: Sequence[Any]
    title: Any = None
    detail: Sequence[Any] = ()


__all__ = ["Searchable"]
