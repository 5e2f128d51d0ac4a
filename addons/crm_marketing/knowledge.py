"""The knowledge base's behaviour: versions and search terms kept on save, search, reading.

Search and the most-read list run as the signed-in user, so the record rules
(read rights per role on categories) decide what is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_marketing import search
from addons.crm_marketing.models.knowledge import (
    KnowledgeDocument,
    KnowledgeTerm,
    KnowledgeVersion,
)
from core.context import current_actor

INDEXED = ("title", "summary", "tags", "body")


def _old(document: KnowledgeDocument, key: str) -> Any:
    history = sa.inspect(document).attrs[key].history
    return history.deleted[0] if history.deleted else getattr(document, key)


def prepare(session: Session, records: list[Any]) -> None:
    """Author, version history and search terms of the documents of one flush."""
    actor = current_actor()
    for document in records:
        if not isinstance(document, KnowledgeDocument):
            continue
        if document.author_id is None and actor.user_id is not None:
            document.author_id = actor.user_id
        state = sa.inspect(document)
        changed = [key for key in INDEXED if state.attrs[key].history.has_changes()]
        if state.persistent and any(key in changed for key in ("title", "body")):
            session.add(KnowledgeVersion(
                division_id=document.division_id, document_id=document.id,
                version_no=document.version_no, title=_old(document, "title"),
                body=_old(document, "body")))
            document.version_no = (document.version_no or 1) + 1
        if state.pending or changed:
            words = search.terms(*(getattr(document, key) for key in INDEXED))
            with session.no_autoflush:
                document.terms = [KnowledgeTerm(division_id=document.division_id, term=word)
                                  for word in search.unique(words)]


@dataclass(frozen=True)
class Hit:
    """A document found, as the search page lists it."""

    id: int
    title: str
    summary: str | None
    read_count: int
    version_no: int


def find(session: Session, query: str, *, limit: int = 50) -> list[Hit]:
    """Documents holding every term of `query`, most read first (one query)."""
    ids = search.matching(KnowledgeTerm.term, KnowledgeTerm.document_id, query)
    if ids is None:
        return []
    return _hits(session, KnowledgeDocument.id.in_(ids), limit)


def most_read(session: Session, *, limit: int = 10) -> list[Hit]:
    """The documents read most often."""
    return _hits(session, sa.true(), limit)


def _hits(session: Session, condition: Any, limit: int) -> list[Hit]:
    rows = session.execute(
        sa.select(KnowledgeDocument.id, KnowledgeDocument.title, KnowledgeDocument.summary,
                  KnowledgeDocument.read_count, KnowledgeDocument.version_no)
        .where(condition)
        .order_by(KnowledgeDocument.read_count.desc(), KnowledgeDocument.id.desc())
        .limit(limit))
    return [Hit(*row) for row in rows]


def read(session: Session, document_id: int) -> KnowledgeDocument | None:
    """The document if the user may read it, counted as read once more."""
    document = session.get(KnowledgeDocument, document_id)
    if document is None:
        return None
    from core.context import system_context

    with system_context():  # readers count reads without the right to change the document
        session.execute(sa.update(KnowledgeDocument)
                        .where(KnowledgeDocument.id == document_id)
                        .values(read_count=KnowledgeDocument.read_count + 1)
                        .execution_options(synchronize_session=False))
    return document
