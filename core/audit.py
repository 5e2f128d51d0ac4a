"""Audit trail of tracked fields, and the chatter: notes and activities on any record."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.orm import Base, utcnow


class FieldChange(Base):
    """One tracked field of one record changed: old → new, who and when."""

    __tablename__ = "kehu_field_change"
    __table_args__ = (sa.Index("ix_kehu_field_change_record", "model", "res_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    field: Mapped[str] = mapped_column(sa.String(64))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="SET NULL"))
    date: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(sa.String(255))


class Note(Base):
    """A note left on a record."""

    __tablename__ = "kehu_note"
    __table_args__ = (sa.Index("ix_kehu_note_record", "model", "res_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="SET NULL"))
    date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Activity(Base):
    """A call, visit or task planned on a record, with a due date (行动)."""

    __tablename__ = "kehu_activity"
    __table_args__ = (
        sa.Index("ix_kehu_activity_record", "model", "res_id", "id"),
        sa.Index("ix_kehu_activity_assignee_due", "assignee_id", "done", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(16))  # call, visit, task, meeting
    summary: Mapped[str] = mapped_column(sa.String(255))
    due_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    assignee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL")
    )
    done: Mapped[bool] = mapped_column(default=False)
    done_date: Mapped[dt.datetime | None] = mapped_column()
    result: Mapped[str | None] = mapped_column(sa.Text)
    create_uid: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL")
    )
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)
