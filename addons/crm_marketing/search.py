"""Knowledge search in Chinese and English without a segmenter: an inverted index of terms.

A document's title, summary, tags and body are cut into terms: each run of Han
characters gives its overlapping character pairs (bigrams: 报价单 → 报价, 价单)
and each single character, each Latin word or number its lowercase self. A
query is cut the same way and a document matches when it holds every term of
the query, so a Chinese word is found inside a sentence (报价 in 本季度报价策略说明)
with one indexed lookup on SQLite and PostgreSQL alike; no dictionary to keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[0-9a-z]+")
TERM_LENGTH = 32  # the column's size; longer Latin words are cut


def terms(*texts: str | None) -> set[str]:
    """The index terms of some text (bigrams and single characters of Han runs, words)."""
    found: set[str] = set()
    for text in texts:
        if not text:
            continue
        lowered = text.lower()
        for run in HAN.findall(lowered):
            found.update(run)
            found.update(run[i:i + 2] for i in range(len(run) - 1))
        found.update(word[:TERM_LENGTH] for word in WORD.findall(lowered))
    return found


def query_terms(query: str) -> set[str]:
    """The terms a document must hold to match `query`: bigrams, or single Han characters
    only where a run is one character long (so 报价 does not also demand 报 and 价)."""
    needed: set[str] = set()
    lowered = query.lower()
    for run in HAN.findall(lowered):
        needed.update([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
    needed.update(word[:TERM_LENGTH] for word in WORD.findall(lowered))
    return needed


def matching(term_column: Any, document_column: Any, query: str) -> sa.Select[Any] | None:
    """SELECT the ids of documents holding every term of `query` (None: nothing to find)."""
    needed = sorted(query_terms(query))
    if not needed:
        return None
    return (sa.select(document_column).where(term_column.in_(needed))
            .group_by(document_column)
            .having(sa.func.count(sa.distinct(term_column)) == len(needed)))


def unique(values: Iterable[str]) -> list[str]:
    """Sorted distinct values (stable index rows)."""
    return sorted(set(values))
