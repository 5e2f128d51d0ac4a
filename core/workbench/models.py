"""Tables of the workbench: records each user opened lately, and announcements (公告)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.orm import Base, utcnow


class RecentRecord(Base):
    """A record a user opened, kept with the last time (one row per user and record)."""

    __tablename__ = "kehu_recent_record"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "model", "res_id"),
        sa.Index("ix_kehu_recent_record_user_opened", "user_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Announcement(Base):
    """A notice (公告) that admins publish to one division or the whole company."""

    __tablename__ = "kehu_announcement"
    __label__ = _l("Announcement")
    __table_args__ = (sa.Index("ix_kehu_announcement_published", "active", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the whole company.
    division_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_division.id", ondelete="CASCADE"), info={"label": _l("Division")})
    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    body: Mapped[str] = mapped_column(sa.Text, default="", info={"label": _l("Text")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow,
                                                      info={"label": _l("Published on")})
    create_uid: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL"))


class AnnouncementRead(Base):
    """A user has read (dismissed) an announcement."""

    __tablename__ = "kehu_announcement_read"

    announcement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_announcement.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="CASCADE"),
                                         primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
