"""Server-side web sessions: a signed random token in the cookie, its hash in the table.

The cookie `kehu_session` carries `signer.sign(token)`; the row's id is
sha256(token), so neither a copy of the table nor of the logs yields a cookie.
Deleting the row ends every copy of the cookie (logout, password change,
deactivation).

Importing this module registers a `before_flush` listener on every ORM
session: changing a user's password hash, or setting the user inactive,
deletes all their sessions in the same transaction. Bulk `UPDATE` statements
bypass it; change users through the ORM.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, Signer
from sqlalchemy import event
from sqlalchemy.orm import Session, attributes

from core.auth.models import WebSession
from core.context import system_context
from core.models import User
from core.orm import utcnow
from core.settings import Settings

COOKIE = "kehu_session"
IDLE_TIMEOUT = dt.timedelta(hours=12)
LIFETIME = dt.timedelta(days=7)
# last_seen is written at most this often, not on every request.
TOUCH_EVERY = dt.timedelta(minutes=1)


def ensure_secret_key(settings: Settings) -> str:
    """The installation's secret key, created (mode 600) on first use."""
    path = settings.path(settings.secret_key_file)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting together must not write two keys; the one
        # that loses the race reads the winner's.
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def signer(secret: str, purpose: str) -> Signer:
    """An HMAC-SHA256 signer for one `purpose` ("session", "csrf"...)."""
    return Signer(secret, salt=f"kehu.{purpose}", digest_method=hashlib.sha256)


def hash_token(token: str) -> str:
    """The stored form of a session or API token: hex sha256."""
    return hashlib.sha256(token.encode()).hexdigest()


def unsign(signed: str | None, cookie_signer: Signer) -> str | None:
    """The token inside a signed cookie value, or None if absent or forged."""
    if not signed:
        return None
    try:
        return cookie_signer.unsign(signed).decode()
    except BadSignature:
        return None


@dataclass(frozen=True)
class NewSession:
    """A session just started: the raw token (for the cookie) and its row."""

    token: str
    row: WebSession


def start_session(
    db: Session, user: User, *, client_ip: str | None, user_agent: str | None,
    replacing: str | None = None,
) -> NewSession:
    """Sign `user` in with a fresh id; `replacing` is the browser's previous token."""
    if replacing:
        end_session(db, replacing)
    now = utcnow()
    _purge_expired(db, user.id, now)
    token = secrets.token_urlsafe(32)
    row = WebSession(
        id=hash_token(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
        created=now, last_seen=now, expires=now + LIFETIME,
        client_ip=client_ip, user_agent=(user_agent or "")[:255] or None,
    )
    db.add(row)
    db.flush()
    return NewSession(token=token, row=row)


def resolve_session(db: Session, token: str) -> WebSession | None:
    """The live session of `token`, its last_seen slid forward; None if ended."""
    row = db.get(WebSession, hash_token(token))
    if row is None:
        return None
    now = utcnow()
    if row.expires <= now or row.last_seen + IDLE_TIMEOUT <= now:
        db.delete(row)
        return None
    if now - row.last_seen >= TOUCH_EVERY:
        row.last_seen = now
    return row


def end_session(db: Session, token: str) -> None:
    """Delete the session of `token` (logout): copies of the cookie stop working."""
    db.execute(sa.delete(WebSession).where(WebSession.id == hash_token(token)))


def end_user_sessions(db: Session, user_ids: set[int]) -> None:
    """Delete every session of these users."""
    db.execute(sa.delete(WebSession).where(WebSession.user_id.in_(user_ids)))


def _purge_expired(db: Session, user_id: int, now: dt.datetime) -> None:
    db.execute(
        sa.delete(WebSession).where(
            WebSession.user_id == user_id,
            sa.or_(WebSession.expires <= now, WebSession.last_seen <= now - IDLE_TIMEOUT),
        )
    )


def _credentials_changed(user: User) -> bool:
    """Whether the password changed, or the user was just set inactive."""
    if attributes.get_history(user, "password_hash").has_changes():
        return True
    return attributes.get_history(user, "active").has_changes() and not user.active


@event.listens_for(Session, "before_flush")
def _end_sessions_on_credential_change(db: Session, _context: Any, _instances: Any) -> None:
    """A new password or a deactivation signs the user out everywhere (#3)."""
    ids = {
        obj.id for obj in db.dirty
        if isinstance(obj, User) and obj.id is not None and _credentials_changed(obj)
    }
    if ids:
        # A kernel side effect, whoever made the change: not subject to their rights.
        with system_context():
            end_user_sessions(db, ids)
