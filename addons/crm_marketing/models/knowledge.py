"""Knowledge base (知识库): categories with read rights per role, documents with
attachments and versions, a search index and a read count."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.i18n import _l
from core.models import Role
from core.orm import Base, Model, ref, utcnow

# Which roles read a category's documents; none: every user of the division.
category_roles = sa.Table(
    "crm_marketing_knowledge_category_role", Base.metadata,
    sa.Column("category_id", sa.ForeignKey("crm_marketing_knowledge_category.id",
                                           ondelete="CASCADE"), primary_key=True),
    sa.Column("role_code", sa.ForeignKey("kehu_role.code", ondelete="CASCADE"),
              primary_key=True),
)


class KnowledgeCategory(Model):
    """A category of documents (知识分类) and who may read it."""

    __tablename__ = "crm_marketing_knowledge_category"
    __label__ = _l("Knowledge category")

    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    roles: Mapped[list[Role]] = relationship(
        secondary=category_roles, info={"label": _l("Readable by roles (none: everybody)")})


class KnowledgeDocument(Model):
    """A document of the knowledge base: text, files, versions, how often it was read."""

    __tablename__ = "crm_marketing_knowledge_document"
    __label__ = _l("Knowledge document")
    __display__ = "title"
    __owner__ = "author_id"
    __attachments__ = True
    __tracked__ = ("title", "version_no")

    category_id: Mapped[int] = ref(KnowledgeCategory, label=_l("Category"))
    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    summary: Mapped[str | None] = mapped_column(sa.String(500), info={"label": _l("Summary")})
    tags: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("Tags")})
    body: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Text")})
    version_no: Mapped[int] = mapped_column(default=1, server_default="1",
                                            info={"label": _l("Version")})
    author_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                        label=_l("Author"))
    read_count: Mapped[int] = mapped_column(default=0, server_default="0", index=True,
                                            info={"label": _l("Times read")})

    terms: Mapped[list[KnowledgeTerm]] = relationship(cascade="all, delete-orphan")


class KnowledgeVersion(Model):
    """An earlier version of a document's text, kept when it is changed."""

    __tablename__ = "crm_marketing_knowledge_version"
    __label__ = _l("Document version")
    __table_args__ = (sa.Index("ix_crm_marketing_knowledge_version_doc", "document_id",
                               "version_no"),)

    document_id: Mapped[int] = ref(KnowledgeDocument, ondelete="CASCADE", index=False,
                                   label=_l("Knowledge document"))
    version_no: Mapped[int] = mapped_column(info={"label": _l("Version")})
    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    body: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Text")})
    replaced_at: Mapped[dt.datetime] = mapped_column(default=utcnow,
                                                     info={"label": _l("Replaced on")})


class KnowledgeTerm(Model):
    """A search term of a document (see crm_marketing/search.py)."""

    __tablename__ = "crm_marketing_knowledge_term"
    __label__ = _l("Search term")
    __table_args__ = (sa.Index("ix_crm_marketing_knowledge_term_term", "term", "document_id"),)

    document_id: Mapped[int] = ref(KnowledgeDocument, ondelete="CASCADE",
                                   label=_l("Knowledge document"))
    term: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Term")})
