"""Tables of authentication: sessions, API tokens and failed-login counters."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.orm import Base, utcnow


class WebSession(Base):
    """A signed-in browser. The cookie carries only a signed random id; the
    row holds the rest, so deleting it ends every copy of the cookie."""

    __tablename__ = "kehu_session"

    # sha256 of the random session id: a leaked table does not give cookies.
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires: Mapped[dt.datetime] = mapped_column()
    client_ip: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(255))


class ApiToken(Base):
    """A bearer token for the API, stored hashed, revocable."""

    __tablename__ = "kehu_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(128))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used: Mapped[dt.datetime | None] = mapped_column()
    expires: Mapped[dt.datetime | None] = mapped_column()
    revoked: Mapped[dt.datetime | None] = mapped_column()


class LoginThrottle(Base):
    """Failed sign-ins per key ("login:<name>" or "ip:<address>")."""

    __tablename__ = "kehu_login_throttle"

    key: Mapped[str] = mapped_column(sa.String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
