"""Login throttling: a growing delay, then a lock, per login name and per address.

Counters live in `kehu_login_throttle` under the keys "login:<name>" and
"ip:<address>", so every worker process sees the same counts. A run of
failures counts as "within 15 minutes" while no gap between two failures is
longer than the window; a lock, once expired, starts a new run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.auth.models import LoginThrottle
from core.orm import utcnow

WINDOW = dt.timedelta(minutes=15)
LOCK_FOR = dt.timedelta(minutes=15)
DELAY_AFTER = 3          # failures of one login before answers slow down
MAX_DELAY = 5.0          # seconds
LOCK_LOGIN_AFTER = 10    # failures of one login within the window
LOCK_ADDRESS_AFTER = 30  # failures from one address within the window


def login_key(login: str) -> str:
    """The throttle key of a login name (case-insensitive)."""
    return "login:" + login.strip().lower()[:150]


def address_key(address: str) -> str:
    """The throttle key of a client address."""
    return "ip:" + address[:150]


def _live_failures(row: LoginThrottle | None, now: dt.datetime) -> int:
    """The failures that still count: none after a quiet window or an expired lock."""
    if row is None or row.last_failure + WINDOW <= now:
        return 0
    if row.locked_until is not None and row.locked_until <= now:
        return 0
    return row.failures


def _rows(db: Session, keys: Iterable[str], *, for_update: bool = False) -> dict[str, LoginThrottle]:
    query = sa.select(LoginThrottle).where(LoginThrottle.key.in_(list(keys)))
    if for_update:  # two workers counting one key must not both read the old count
        query = query.with_for_update()
    return {row.key: row for row in db.scalars(query)}


def is_locked(db: Session, keys: Iterable[str]) -> bool:
    """Whether any of `keys` is locked right now."""
    now = utcnow()
    return any(
        row.locked_until is not None and row.locked_until > now
        for row in _rows(db, keys).values()
    )


def delay_for(db: Session, key: str) -> float:
    """Seconds to wait before answering a sign-in as `key`: 0, then 1, 2... up to 5."""
    failures = _live_failures(_rows(db, [key]).get(key), utcnow())
    if failures < DELAY_AFTER:
        return 0.0
    return min(float(failures - DELAY_AFTER + 1), MAX_DELAY)


def record_failure(db: Session, keys: Iterable[str]) -> list[str]:
    """Count a failed sign-in against each key; return the keys locked by it."""
    now = utcnow()
    keys = list(keys)
    rows = _rows(db, keys, for_update=True)
    locked = []
    for key in keys:
        row = rows.get(key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure=now)
            db.add(row)
        if row.locked_until is not None and row.locked_until > now:
            continue  # already locked: a refused attempt does not extend the lock
        row.failures = _live_failures(row, now) + 1
        row.last_failure = now
        row.locked_until = None
        limit = LOCK_ADDRESS_AFTER if key.startswith("ip:") else LOCK_LOGIN_AFTER
        if row.failures >= limit:
            row.locked_until = now + LOCK_FOR
            locked.append(key)
    db.flush()
    return locked


def record_success(db: Session, key: str) -> None:
    """Forget the failures of a login after it signed in (the address keeps its count)."""
    db.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == key))
