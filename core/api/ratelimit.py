"""A token bucket per user for expensive API requests (exact counts, free-text search).

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

import sqlalchemy as sa

from core.api.errors import RateLimited
from core.i18n import _


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

    With `engine`, the buckets named `name:<key>` are shared through the database."""

    capacity: float = 30.0
    per_second: float = 0.5
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000
    engine: sa.Engine | None = None
    name: str = "api"
    _buckets: dict[object, _Bucket] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, key: object, cost: float = 1.0) -> float:
        """Spend `cost` tokens of `key`'s bucket: 0.0 if allowed, else seconds to wait."""
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
