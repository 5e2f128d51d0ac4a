"""Figures 6 and 7: throughput of API reads, start-up time, memory of a worker.

Throughput: `kehu serve --workers 2`, 20 clients (one bearer token per rep)
each sending its next request as soon as the previous one answered, for 30 s:
the rep's opportunity list filtered by stage (50 rows), one of those
opportunities, and the rep's customer list, in turn. Every answer must be 200.
The client runs on the same two cores as the server, so the figure is a floor.

Start-up: spawn of `kehu serve` to the first 200 from /health, median of three.
Memory: VmRSS of each worker process after the figures ran against it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx
import sqlalchemy as sa

from bench.database import BenchDB
from bench.harness import Result, Server, api_token, rss_mb

STARTUP_FIGURE = "7a. start-up of kehu serve"
MEMORY_FIGURE = "7b. worker resident memory"
THROUGHPUT_FIGURE = "6. API reads, 20 clients, 2 workers"
CLIENTS = 20


def startup(db: BenchDB, *, repeat: int = 3) -> Result:
    seconds = []
    for _ in range(repeat):
        server = Server(db).start()
        seconds.append(server.startup_seconds)
        server.stop()
    median = statistics.median(seconds)
    return Result(STARTUP_FIGURE, db.backend, "s", "≤ 1.5 s", kehu=median, passed=median <= 1.5,
                  note=f"addons: {', '.join(db.addons)}; spawn → first /health 200",
                  details={"runs": seconds})


def memory(db: BenchDB, server: Server, after: str) -> Result:
    sizes = {pid: rss_mb(pid) for pid in server.worker_pids()}
    worst = max(sizes.values())
    return Result(MEMORY_FIGURE, db.backend, "MB", "≤ 150 MB", kehu=worst, passed=worst <= 150,
                  note=f"largest of {len(sizes)} worker(s) after {after}",
                  details={"rss_mb": sizes})


def _plan(db: BenchDB) -> list[tuple[str, list[str]]]:
    """For each client: its token and the URLs it reads in turn."""
    kernel = db.boot()
    try:
        with kernel.engine.connect() as connection:
            reps = connection.execute(sa.text(
                "SELECT u.login, u.id FROM kehu_user u JOIN kehu_user_role r ON r.user_id = u.id "
                "WHERE r.role = 'sales_rep' ORDER BY u.id")).all()
            funnel = "crm_opportunity" in sa.inspect(connection).get_table_names()
            chosen = reps[:: max(1, len(reps) // CLIENTS)][:CLIENTS]
            plans = []
            for login, user_id in chosen:
                urls = ["/api/v1/crm_customer?order=name&limit=50"]
                if funnel:
                    row = connection.execute(sa.text(
                        "SELECT id, stage_id FROM crm_opportunity WHERE owner_id = :u AND state = 'open' "
                        "ORDER BY id LIMIT 1"), {"u": user_id}).first()
                    if row is not None:
                        urls = [f"/api/v1/crm_opportunity?stage_id={row[1]}&order=expected_close&limit=50",
                                f"/api/v1/crm_opportunity/{row[0]}", *urls]
                plans.append((login, urls))
    finally:
        kernel.engine.dispose()
    return [(api_token(db, login), urls) for login, urls in plans]


async def _client(base: str, token: str, urls: list[str], until: float,
                  latencies: list[float], errors: list[str]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30.0,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        index = 0
        while time.perf_counter() < until:
            url = urls[index % len(urls)]
            index += 1
            started = time.perf_counter()
            try:
                response = await client.get(url)
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {url}")
            except httpx.HTTPError as error:
                errors.append(f"{type(error).__name__} {url}")
            latencies.append((time.perf_counter() - started) * 1000)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def throughput(db: BenchDB, *, seconds: float) -> tuple[Result, Result]:
    """Figure 6 on a 2-worker server, and the workers' memory afterwards (7b)."""
    plans = _plan(db)
    with Server(db, workers=2) as server:
        latencies: list[float] = []
        errors: list[str] = []

        async def main() -> float:
            # Warm every worker's pool and caches a little first.
            warm_until = time.perf_counter() + 2
            await asyncio.gather(*[_client(server.base, t, u, warm_until, [], [])
                                   for t, u in plans])
            started = time.perf_counter()
            until = started + seconds
            await asyncio.gather(*[_client(server.base, t, u, until, latencies, errors)
                                   for t, u in plans])
            return time.perf_counter() - started

        elapsed = asyncio.run(main())
        rate = len(latencies) / elapsed
        details: dict[str, Any] = {
            "requests": len(latencies), "seconds": elapsed, "clients": len(plans),
            "p50_ms": _percentile(latencies, 0.50), "p95_ms": _percentile(latencies, 0.95),
            "p99_ms": _percentile(latencies, 0.99), "errors": len(errors),
            "first_errors": errors[:5],
        }
        result = Result(
            THROUGHPUT_FIGURE, db.backend, "req/s", "0 errors", kehu=rate, passed=not errors,
            note=(f"p50 {details['p50_ms']:.0f} ms, p95 {details['p95_ms']:.0f} ms, "
                  f"p99 {details['p99_ms']:.0f} ms, {len(errors)} errors, {seconds:.0f} s"),
            details=details)
        return result, memory(db, server, "the throughput run")
