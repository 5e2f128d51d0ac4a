"""Figures 8 and 9 (#18): the workbench home page and the global search, as a sales rep.

8. Kehu: GET / (the workbench: every widget the rep sees, each one or two SQL
   statements under the rep's record rules) from a signed-in session. The
   budget is the opportunity list page (figure 2): the same rep's first list
   page, GET /m/crm_opportunity, timed interleaved; target: home ≤ 1.5 × list.
9. Kehu: GET /search.json?q=… (every searchable model, 10 per model, the
   token index then the records under the rep's rules) for a customer's
   pinyin initials and for a two-character Chinese prefix matching thousands.
   Target ≤ 100 ms. Before timing, the customers' search tokens are backfilled
   (core.search.indexing.backfill, in chunks) and that time is reported too;
   the million opportunities are not backfilled (their tokens are written on
   save; a backfill of them is an upgrade-time cost, not a page's).
"""

from __future__ import annotations

import statistics
import time

import sqlalchemy as sa

from bench.database import BenchDB
from bench.fig_lists import REP
from bench.harness import Result, compared, interleaved, signed_in, timed

HOME_FIGURE = "8. workbench home page (HTML) vs list page"
SEARCH_FIGURE = "9. global search (JSON), 100k customers"
BACKFILL_FIGURE = "9b. search index backfill, customers"


def _backfill(db: BenchDB) -> tuple[Result, str]:
    """Index the customers; return the timing and one customer name's initials to search."""
    from pypinyin import lazy_pinyin

    from addons.crm_customer.models import Customer
    from core.context import system_context
    from core.models import User
    from core.search.indexing import backfill, searchables

    kernel = db.boot()
    try:
        item = searchables(kernel.registry)[Customer]
        started = time.perf_counter()
        with system_context(), kernel.sessions.begin() as session:
            count = backfill(session, [item])
            # One of the rep's own customers: the search runs as the rep, under the rules.
            name = session.scalar(
                sa.select(Customer.name).join(User, User.id == Customer.owner_id)
                .where(User.login == REP).order_by(Customer.id.desc()).limit(1))
        seconds = time.perf_counter() - started
    finally:
        kernel.engine.dispose()
    # The pinyin initials of the name's first four characters ("njxx").
    initials = "".join(syllable[0] for syllable in lazy_pinyin(str(name)[:4]) if syllable)
    rate = count / seconds if seconds else 0
    return Result(BACKFILL_FIGURE, db.backend, "s", "informational", kehu=seconds, passed=True,
                  note=f"{count:,} customers, {rate:,.0f} rows/s"), initials


def run(db: BenchDB, base: str, *, repeat: int) -> list[Result]:
    backfilled, initials = _backfill(db)
    client = signed_in(base, REP)
    try:
        for path in ("/", "/m/crm_opportunity"):
            if client.get(path).status_code != 200:
                raise RuntimeError(f"GET {path} as {REP} failed")
        home, listing = interleaved(lambda: client.get("/"), lambda: client.get("/m/crm_opportunity"),
                                    repeat=repeat)
        results = [compared(HOME_FIGURE, db.backend, home, listing, 1.5,
                            note="raw = the rep's opportunity list page")]
        for label, query in (("initials " + initials, initials), ("prefix 南京", "南京")):
            found = client.get("/search.json", params={"q": query}).json()["groups"]
            times = timed(lambda: client.get("/search.json", params={"q": query}), repeat=repeat)
            median = statistics.median(times)
            hits = sum(len(group["hits"]) for group in found)
            results.append(Result(f"{SEARCH_FIGURE}: {label}", db.backend, "ms", "≤ 100 ms",
                                  kehu=median, passed=median <= 100,
                                  note=f"{hits} hits in {len(found)} groups",
                                  details={"runs": len(times), "kehu_all": times}))
    finally:
        client.close()
    return [backfilled, *results]
