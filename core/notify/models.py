"""The tables of notifications: the in-app list, the outbox, followers and channels.

Kernel tables (no division of their own): code reads and writes them in the
system context, always for one named user, so nobody reads another's list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.orm import Base, utcnow


class Notification(Base):
    """Something one user is told about: an approval waiting, a mention, an assignment...

    The text is not stored: `kind` and `params` are rendered in the reader's
    language when the list is shown (both languages from one row).
    """

    __tablename__ = "kehu_notification"
    __table_args__ = (
        sa.Index("ix_kehu_notification_user_unread", "user_id", "read", "id"),
        # A job that raises the same notice twice (activity overdue) finds it here.
        sa.Index("ix_kehu_notification_dedupe", "user_id", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    model: Mapped[str | None] = mapped_column(sa.String(64))
    res_id: Mapped[int | None] = mapped_column()
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="SET NULL"))
    division_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_division.id", ondelete="CASCADE"))
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(64))
    read: Mapped[bool] = mapped_column(default=False)
    read_at: Mapped[dt.datetime | None] = mapped_column()
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """One notification to send outside the app (e-mail or webhook): the outbox row.

    Written in the transaction that raised the notification, sent later by the
    `notify.deliver` job; a failure schedules a retry instead of losing it.
    """

    __tablename__ = "kehu_notification_delivery"
    __table_args__ = (sa.Index("ix_kehu_notification_delivery_due", "state", "next_attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_notification.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(16))  # email, webhook
    target: Mapped[str] = mapped_column(sa.String(500))  # address or URL
    state: Mapped[str] = mapped_column(sa.String(16), default="pending")  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Follower(Base):
    """A user who follows a record: its changes and notes come to their notifications."""

    __tablename__ = "kehu_follower"
    __table_args__ = (sa.UniqueConstraint("model", "res_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="CASCADE"),
                                         index=True)
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class NotifyPreference(Base):
    """How one user wishes to be told besides the bell (set on the preferences page)."""

    __tablename__ = "kehu_notify_preference"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="CASCADE"),
                                         primary_key=True)
    email: Mapped[bool] = mapped_column(default=False)
    # Kinds (core.notify.kinds) the user switched off for e-mail; a kind added
    # later is sent until switched off (core_0010).
    email_off: Mapped[list[str] | None] = mapped_column(sa.JSON, default=list)

    def emails(self, kind: str) -> bool:
        """Whether `kind` goes out by e-mail to this user."""
        return bool(self.email) and kind not in (self.email_off or ())


class MailServer(Base):
    """The outgoing SMTP server (one row, company-wide; none: no e-mail is sent)."""

    __tablename__ = "kehu_mail_server"
    __label__ = _l("Mail server")
    __display__ = "host"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(sa.String(255), info={"label": _l("SMTP host")})
    port: Mapped[int] = mapped_column(default=25, info={"label": _l("Port")})
    security: Mapped[str] = mapped_column(sa.String(16), default="none", info={
        "label": _l("Security"),
        "choices": [("none", _l("None")), ("starttls", "STARTTLS"), ("ssl", "SSL/TLS")]})
    username: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("User name")})
    password: Mapped[str | None] = mapped_column(sa.String(255), info={"label": _l("Password")})
    from_address: Mapped[str] = mapped_column(sa.String(255), info={"label": _l("Sender address")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})


class DivisionWebhook(Base):
    """A division's group robot (企业微信 / 钉钉 style): notifications are POSTed to it as JSON."""

    __tablename__ = "kehu_division_webhook"
    __label__ = _l("Division webhook")
    __display__ = "url"

    division_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_division.id", ondelete="CASCADE"), primary_key=True,
        info={"label": _l("Division")})
    url: Mapped[str] = mapped_column(sa.String(500), info={"label": _l("Webhook URL")})
    active: Mapped[bool] = mapped_column(default=True, info={"label": _l("Active")})


TABLES = [Notification, Delivery, Follower, NotifyPreference, MailServer, DivisionWebhook]
