"""Figure 5: the customer 360 page issues a bounded number of SQL statements.

Two customers of the same rep: one with 50 contacts, 200 activities and 30
opportunities, one with 5, 20 and 3. The page /m/crm_customer/<id> is fetched
as that rep (record rules on) through the real application in-process, with a
`before_cursor_execute` listener counting every statement the engine runs for
the request. The count must be the same for both customers: no query per row.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

import sqlalchemy as sa

from bench.database import PASSWORD, BenchDB, bulk_insert, pipelines, _table
from bench.harness import Result

FIGURE = "5. customer 360 page: SQL statements"
REP = "rep.east.002"
BIG = (50, 200, 30)
SMALL = (5, 20, 3)


def _add_children(kernel: Any, customer_id: int, counts: tuple[int, int, int], tag: str) -> None:
    contacts, activities, opportunities = counts
    with kernel.engine.connect() as connection:
        customer = connection.execute(sa.text(
            "SELECT division_id, owner_id, department_id, region_id, product_line_id, name "
            "FROM crm_customer WHERE id = :i"), {"i": customer_id}).one()
    division, owner, department, region, line, name = customer
    table = _table(kernel, "crm_contact")
    bulk_insert(kernel, table, ["division_id", "customer_id", "name", "title", "mobile"], [
        (division, customer_id, f"联系人{tag}{n:03d}", "采购经理", f"139{customer_id % 10000:04d}{n:04d}")
        for n in range(contacts)])
    start = dt.date(2026, 3, 1)
    bulk_insert(kernel, _table_of(kernel, "kehu_activity"),
                ["model", "res_id", "kind", "summary", "due_date", "assignee_id", "done",
                 "create_uid"],
                [("crm_customer", customer_id, ("call", "visit", "task", "meeting")[n % 4],
                  f"拜访{tag}{n:03d}", start + dt.timedelta(days=n), owner, n % 3 == 0, owner)
                 for n in range(activities)])
    if opportunities and "crm_opportunity" in kernel.model_keys:
        flows = pipelines(kernel)
        flow = flows.get(division) or flows[None]  # company-wide modes (#14)
        mode = flow.modes[0]
        stage = flow.open_stages[mode][0]
        bulk_insert(kernel, _table(kernel, "crm_opportunity"), [
            "division_id", "customer_id", "name", "sales_mode_id", "stage_id", "amount",
            "probability", "expected_close", "owner_id", "department_id", "region_id",
            "product_line_id", "state"], [
            (division, customer_id, f"{name} 项目{tag}{n:03d}", mode, stage, 1_000_000 * (n + 1),
             flow.probability[stage], start + dt.timedelta(days=7 * n), owner, department, region,
             line, "open") for n in range(opportunities)])


def _table_of(kernel: Any, name: str) -> sa.Table:
    from core.orm import Base

    return Base.metadata.tables[name]


def run(db: BenchDB) -> Result:
    from starlette.testclient import TestClient

    from core.testing.web import sign_in
    from core.web.app import create_app

    kernel = db.boot()
    try:
        with kernel.engine.connect() as connection:
            rep_id = connection.scalar(sa.text("SELECT id FROM kehu_user WHERE login = :l"), {"l": REP})
            # Two customers alike in everything but their rows: the same status (the
            # workflow buttons a status offers read their own rows).
            mine = connection.execute(sa.text(
                "SELECT status, id FROM crm_customer WHERE owner_id = :u AND code LIKE 'C%' "
                "ORDER BY status, id"), {"u": rep_id}).all()
            pairs = [(a[1], b[1]) for a, b in zip(mine, mine[1:], strict=False) if a[0] == b[0]]
            big, small = pairs[0]
        _add_children(kernel, big, BIG, "甲")
        _add_children(kernel, small, SMALL, "乙")
        counted = {"n": 0}

        def count(*_args: Any) -> None:
            counted["n"] += 1

        app = create_app(kernel=kernel)
        with TestClient(app) as client:
            sign_in(client, REP, PASSWORD)
            measured: dict[int, tuple[int, float, str]] = {}
            for customer_id in (big, small):
                client.get(f"/m/crm_customer/{customer_id}").raise_for_status()  # warm caches
                sa.event.listen(kernel.engine, "before_cursor_execute", count)
                counted["n"] = 0
                started = time.perf_counter()
                page = client.get(f"/m/crm_customer/{customer_id}")
                elapsed = (time.perf_counter() - started) * 1000
                sa.event.remove(kernel.engine, "before_cursor_execute", count)
                page.raise_for_status()
                measured[customer_id] = (counted["n"], elapsed, page.text)
            times = []
            for _ in range(5):
                started = time.perf_counter()
                client.get(f"/m/crm_customer/{big}").raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
    finally:
        kernel.engine.dispose()
    big_count, _t, big_html = measured[big]
    small_count, _t2, _html = measured[small]
    shown = {
        "contacts": sum(f"联系人甲{n:03d}" in big_html for n in range(BIG[0])),
        "activities": sum(f"拜访甲{n:03d}" in big_html for n in range(BIG[1])),
        "opportunities": sum(f"项目甲{n:03d}" in big_html for n in range(BIG[2])),
    }
    note = (f"{big_count} statements for 50/200/30, {small_count} for 5/20/3; page "
            f"{statistics.median(times):.0f} ms; rows on the page: {shown['contacts']} contacts, "
            f"{shown['activities']} activities, {shown['opportunities']} opportunities")
    return Result(FIGURE, db.backend, "statements", "same for 50/200/30 as for 5/20/3",
                  kehu=big_count, passed=big_count <= small_count, note=note,
                  details={"big": big_count, "small": small_count, "shown": shown,
                           "page_ms": times})
