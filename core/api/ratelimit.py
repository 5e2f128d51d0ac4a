"""Token buckets per user for expensive actions, configured per action in kehu.toml.

Only what is expensive is limited (#22): exports, imports started from the web,
reports through the API, API lists with an exact count or a free-text search,
and login attempts per client address. Ordinary reads and writes never are: a
fifth of 20 clients' plain requests got 429 when one bucket covered the API.
Each action has its `[limits.<action>]` (`burst`, `per_minute`); an action not
named there, or with `burst = 0`, is not limited.

Given an engine, the buckets live in the database (`kehu_rate_bucket`), so every
web worker on every machine spends from the same bucket: one UPDATE that
refills and spends at once, allowed only if enough tokens are left. Without
one (tests), they live in the process.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.api.errors import RateLimited
from core.i18n import _
from core.settings import LimitedAction

if TYPE_CHECKING:
    from core.kernel import Kernel


@dataclass
class _Bucket:
    tokens: float
    updated: float


_metadata = sa.MetaData()
rate_buckets = sa.Table(
    "kehu_rate_bucket", _metadata,
    sa.Column("key", sa.String(160), primary_key=True),
    sa.Column("tokens", sa.Float, nullable=False),
    sa.Column("updated", sa.Float, nullable=False),
)


@dataclass
class RateLimiter:
    """`capacity` requests at once, refilled at `per_second`; keyed by user id.

    With `engine`, the buckets named `name:<key>` are shared through the database;
    `enabled=False` lets everything through without touching it."""

    capacity: float = 30.0
    per_second: float = 0.5
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000
    engine: sa.Engine | None = None
    name: str = "api"
    enabled: bool = True
    _buckets: dict[object, _Bucket] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, key: object, cost: float = 1.0) -> float:
        """Spend `cost` tokens of `key`'s bucket: 0.0 if allowed, else seconds to wait."""
        if not self.enabled:
            return 0.0
        if self.engine is not None:
            return self._take_shared(f"{self.name}:{key}", cost)
        with self._lock:
            now = self.clock()
            bucket = self._buckets.get(key)
            if bucket is None:
                self._forget_full(now)
                bucket = self._buckets[key] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity,
                                bucket.tokens + (now - bucket.updated) * self.per_second)
            bucket.updated = now
            if bucket.tokens >= cost:
                bucket.tokens -= cost
                return 0.0
            if self.per_second <= 0:
                return math.inf
            return (cost - bucket.tokens) / self.per_second

    def _take_shared(self, bucket: str, cost: float) -> float:
        assert self.engine is not None
        table = rate_buckets
        for _attempt in range(3):
            now = time.time()  # wall time: every process agrees on it
            refilled = table.c.tokens + (now - table.c.updated) * self.per_second
            available = sa.case((refilled > self.capacity, self.capacity), else_=refilled)
            with self.engine.begin() as connection:
                spent = connection.execute(
                    table.update().where(table.c.key == bucket, available >= cost)
                    .values(tokens=available - cost, updated=now))
                if spent.rowcount:
                    return 0.0
                tokens = connection.scalar(sa.select(available).where(table.c.key == bucket))
            if tokens is None:  # a first request: a full bucket
                try:
                    with self.engine.begin() as connection:
                        connection.execute(table.insert().values(
                            key=bucket, tokens=self.capacity - cost, updated=now))
                    return 0.0 if self.capacity >= cost else math.inf
                except sa.exc.IntegrityError:  # another worker made it first: spend from it
                    continue
            if float(tokens) >= cost:  # the bucket was made meanwhile: spend from it
                continue
            if self.per_second <= 0:
                return math.inf
            return (cost - float(tokens)) / self.per_second
        # Still racing after three tries: ask the caller to wait rather than let it through.
        return cost / self.per_second if self.per_second > 0 else math.inf

    def check(self, key: object, cost: float = 1.0) -> None:
        """Spend tokens, or raise RateLimited with the seconds to wait (Retry-After)."""
        wait = self.take(key, cost)
        if wait > 0:
            seconds = 3600 if math.isinf(wait) else max(1, math.ceil(wait))
            raise RateLimited(
                _("Too many expensive requests: try again in {seconds} seconds.").format(
                    seconds=seconds),
                retry_after=seconds,
            )

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled completely, so the table stays small."""
        if len(self._buckets) < self.max_keys:
            return
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.updated) * self.per_second >= self.capacity:
                del self._buckets[key]


def configured(kernel: Kernel, action: LimitedAction) -> RateLimiter:
    """The limiter of `action` as the settings' `[limits.<action>]` describe it."""
    limit = kernel.settings.limits.get(action)
    if limit is None or limit.burst <= 0:
        return RateLimiter(name=action, enabled=False)
    return RateLimiter(capacity=float(limit.burst), per_second=limit.per_minute / 60,
                       engine=kernel.engine, name=action)


def limiter_for(state: Any, kernel: Kernel, action: LimitedAction) -> RateLimiter:
    """The limiter of `action` for the app whose `state` is given, made once per app.

    A test may put its own in `state.rate_limiters[action]`."""
    limiters: dict[str, RateLimiter] | None = getattr(state, "rate_limiters", None)
    if limiters is None:
        limiters = state.rate_limiters = {}
    found = limiters.get(action)
    if found is None:
        found = limiters[action] = configured(kernel, action)
    return found
