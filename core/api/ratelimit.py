"""A token bucket per user for expensive API requests (exact counts, free-text search).

The buckets live in the process: with several uvicorn workers each worker
keeps its own, so a user may spend up to `workers × capacity` at once. That
is enough to stop a runaway script; a shared limit needs a shared store.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.api.errors import RateLimited
from core.i18n import _


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """`capacity` requests at once, refilled at `per_second`; keyed by user id."""

    capacity: float = 30.0
    per_second: float = 0.5
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000
    _buckets: dict[object, _Bucket] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, key: object, cost: float = 1.0) -> float:
        """Spend `cost` tokens of `key`'s bucket: 0.0 if allowed, else seconds to wait."""
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
