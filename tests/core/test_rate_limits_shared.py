"""Rate limits are shared by every web worker: the buckets live in the database."""

from __future__ import annotations

import threading

from core.api.ratelimit import RateLimiter


def test_two_workers_spend_from_one_bucket(kernel) -> None:  # type: ignore[no-untyped-def]
    # Two limiters on one database stand for two uvicorn workers (or two machines).
    first, second = (RateLimiter(capacity=4, per_second=0.001, engine=kernel.engine, name="api")
                     for _ in range(2))
    results: list[float] = []
    threads = [threading.Thread(target=lambda limiter=limiter: results.extend(
        limiter.take(7) for _ in range(3))) for limiter in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results)[:4] == [0.0] * 4 and all(wait > 0 for wait in sorted(results)[4:])
    assert second.take(7) > 100  # still empty, whichever worker asks
    # Other users and other limits have buckets of their own.
    assert first.take(8) == 0.0
    assert RateLimiter(capacity=1, engine=kernel.engine, name="export").take(7) == 0.0
