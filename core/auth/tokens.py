"""API bearer tokens: random, shown once, stored as sha256, revocable."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.auth.models import ApiToken
from core.auth.sessions import TOUCH_EVERY, hash_token
from core.models import User
from core.orm import utcnow

PREFIX = "kehu_"


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: the clear value (shown once) and its row."""

    token: str
    row: ApiToken


def issue_token(
    db: Session, user: User, *, name: str, lifetime: dt.timedelta | None = None
) -> IssuedToken:
    """Create a token for `user`; only its hash is stored."""
    token = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id, name=name[:128], token_hash=hash_token(token), created=now,
        expires=now + lifetime if lifetime else None,
    )
    db.add(row)
    db.flush()
    return IssuedToken(token=token, row=row)


def resolve_token(db: Session, token: str) -> User | None:
    """The active user of a live (unrevoked, unexpired) token, or None."""
    row = db.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    now = utcnow()
    if row is None or row.revoked is not None or (row.expires and row.expires <= now):
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if row.last_used is None or now - row.last_used >= TOUCH_EVERY:
        row.last_used = now
    return user


def user_tokens(db: Session, user_id: int) -> list[ApiToken]:
    """The user's unrevoked tokens, newest first."""
    return list(
        db.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked.is_(None))
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(db: Session, user_id: int, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if it is not theirs or already revoked."""
    row = db.get(ApiToken, token_id)
    if row is None or row.user_id != user_id or row.revoked is not None:
        return False
    row.revoked = utcnow()
    return True
