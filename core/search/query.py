"""Running a global search: token prefixes on the index, records read as the user."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import Actor
from core.errors import KehuError
from core.fields import display_name_column, model_label
from core.search import Searchable
from core.search.indexing import TOKENS
from core.search.tokens import query_words

PER_MODEL = 10
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Hit:
    """One record found: its name, a detail line, where it opens."""

    id: int
    title: str
    detail: str
    url: str


@dataclass
class Group:
    """The hits of one model (at most PER_MODEL), and whether there are more."""

    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


def _prefix(word: str, dialect: str) -> Any:
    """token starts with `word`, in a form the (model, token) index serves."""
    if dialect == "postgresql":  # the index uses text_pattern_ops: LIKE 'x%' is a range on it
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return TOKENS.c.token.like(escaped + "%", escape="\\")
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    return sa.and_(TOKENS.c.token >= word, TOKENS.c.token < upper)


def usable(query: str) -> list[str]:
    """The query's words, or [] when it is too short to search (one Latin letter)."""
    words = query_words(query)
    if not words or (len("".join(words)) < 2 and not _CJK.search(words[0])):
        return []
    return words


def matching(model: Any, words: list[str], dialect: str) -> Any:
    """A condition: `model`'s rows whose search tokens start with every one of `words`
    (for an addon's own picker that adds its filters, e.g. a distributor's products)."""
    conditions = [model.id.in_(sa.select(TOKENS.c.res_id).where(
        TOKENS.c.model == model.__tablename__, _prefix(word, dialect))) for word in words]
    return sa.and_(sa.true(), *conditions)


def _statement(item: Searchable, words: list[str], dialect: str, limit: int) -> Any:
    model: Any = item.model
    title = item.title if item.title is not None else display_name_column(model)
    statement = sa.select(model.id, title, *item.detail)
    for word in words:
        matching = sa.select(TOKENS.c.res_id).where(TOKENS.c.model == model.__tablename__,
                                                    _prefix(word, dialect))
        statement = statement.where(model.id.in_(matching))
    return statement.limit(limit)


def search_model(session: Session, item: Searchable, words: list[str], *,
                 limit: int = PER_MODEL) -> Group:
    """The records of one searchable model matching every word, as the session's user."""
    model: Any = item.model
    key = model.__tablename__
    dialect = session.get_bind().dialect.name
    rows = session.execute(_statement(item, words, dialect, limit + 1)).all()
    hits = [Hit(row[0], str(row[1] or f"#{row[0]}"),
                " · ".join(str(value) for value in row[2:] if value not in (None, "")),
                f"/m/{key}/{row[0]}") for row in rows[:limit]]
    hits.sort(key=lambda hit: (len(hit.title), hit.title))
    return Group(key=key, label=model_label(model), hits=hits, more=len(rows) > limit)


def with_tokens(session: Session, models: list[Any], words: list[str]) -> set[str]:
    """The tables among `models` that have a token for every word: one statement of index
    probes, so models without a match cost neither their record rules nor a query (#18)."""
    if not models:
        return set()
    dialect = session.get_bind().dialect.name
    probes = [sa.and_(sa.true(), *[
        sa.select(TOKENS.c.res_id).where(TOKENS.c.model == model.__tablename__,
                                         _prefix(word, dialect)).exists()
        for word in words]).label(f"m{index}") for index, model in enumerate(models)]
    found = session.execute(sa.select(*probes)).one()
    return {model.__tablename__ for model, hit in zip(models, found, strict=True) if hit}


def search(session: Session, kernel: Any, actor: Actor, query: str, *,
           limit: int = PER_MODEL) -> list[Group]:
    """Every searchable model the actor may read in their division, grouped; empty groups left out."""
    words = usable(query)
    if not words:
        return []
    enabled = kernel.registry.enabled_for(actor.division_id)
    groups = []
    # Customers before the deals that hang on them: dependencies first, then declaration order.
    order = {name: index for index, name in enumerate(kernel.registry.installed)}
    declared = sorted(kernel.registry.collect("kehu_register_searchables"),
                      key=lambda pair: order.get(pair[0], -1))
    readable = [item for addon, item in declared
                if (addon == "core" or addon in enabled)
                and (actor.system or kernel.policy.allowed(actor, item.model, "read"))]
    matched = with_tokens(session, [item.model for item in readable], words)
    for item in readable:
        if item.model.__tablename__ not in matched:
            continue
        try:
            group = search_model(session, item, words, limit=limit)
        except KehuError:  # rights changed under us: the model is simply not searched
            continue
        if group.hits:
            groups.append(group)
    return groups


__all__ = ["Group", "Hit", "matching", "search", "search_model", "usable", "with_tokens"]

