"""crm_channel figures (#15): flow import and the channel stock calculation.

Flow import — Kehu: `addons.crm_channel.flowimport.import_file`, the whole path a
user's upload takes: the file streamed (csv), the distributor's layout, every
customer and product name matched in memory against dictionaries built once
(names, codes, aliases 别名, remembered mappings), the period replaced, chunked
executemany INSERTs, one commit. Raw: the same file read with the csv module and
the same rows inserted with one DB-API executemany (no matching), one commit.
Target: Kehu ≤ 3 × raw; the peak Python memory of the import is reported too
(it stays flat: rows are never all held).

Stock calculation — Kehu: `compute_stock` for 12 periods in turn (one set-based
INSERT … SELECT each, after a DELETE of the period's rows). Raw: the same SQL
statements, compiled once and run through the DB-API cursor. Target: ≤ 2 × raw.

Sizes: full 1,000,000 flow rows and 300 distributors × 200 products × 12 periods;
small and tiny scale them down. Run alone: `python -m bench.channel --size tiny`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import random
import shutil
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.database import BenchDB, bulk_insert
from bench.harness import ROOT, Result, compared

FLOW_FIGURE = "8. crm_channel flow import"
STOCK_FIGURE = "9. crm_channel stock calculation"


@dataclass(frozen=True)
class ChannelSize:
    """How much channel data a run makes."""

    flow_rows: int
    distributors: int
    products: int
    periods: int


CHANNEL_SIZES = {
    "full": ChannelSize(1_000_000, 300, 200, 12),
    "small": ChannelSize(100_000, 60, 50, 12),
    "tiny": ChannelSize(5_000, 10, 10, 3),
}


@dataclass
class Fixture:
    """The division, the distributors and products the figures use."""

    division_id: int
    admin_id: int
    distributors: list[int]
    products: list[int]
    product_codes: list[str]
    customer_names: list[str]


def _division(kernel: Any) -> tuple[int, int]:
    with kernel.engine.connect() as connection:
        division = connection.scalar(sa.text(
            "SELECT id FROM kehu_division WHERE code = 'EAST'"))
        admin = connection.scalar(sa.text(
            "SELECT id FROM kehu_user WHERE login = 'admin.east'"))
    return int(division), int(admin)


def prepare(db: BenchDB, size: ChannelSize) -> Fixture:
    """Distributors (tier-1) and products in the EAST division, in bulk."""
    kernel = db.boot()
    try:
        division, admin = _division(kernel)
        tables = kernel.model_keys
        customer, product = tables["crm_customer"].__table__, tables["crm_product"].__table__
        bulk_insert(kernel, product, ["code", "name", "price", "division_id"], [
            (f"CP{index:04d}", f"渠道产品{index:04d}", 1000 + index, division)
            for index in range(size.products)])
        bulk_insert(kernel, customer, ["code", "name", "channel_tier", "status", "division_id"], [
            (f"JXS{index:04d}", f"渠道经销商{index:04d}有限公司", "tier1", "formal", division)
            for index in range(size.distributors)])
        with kernel.engine.connect() as connection:
            distributors = list(connection.scalars(sa.text(
                "SELECT id FROM crm_customer WHERE code LIKE 'JXS%' ORDER BY id")))
            products = list(connection.execute(sa.text(
                "SELECT id, code FROM crm_product WHERE code LIKE 'CP%' ORDER BY id")))
            names = list(connection.scalars(sa.text(
                "SELECT name FROM crm_customer WHERE division_id = :d ORDER BY id LIMIT 5000"),
                {"d": division}))
    finally:
        kernel.engine.dispose()
    return Fixture(division, admin, distributors, [p.id for p in products],
                   [p.code for p in products], names)


def flow_file(fixture: Fixture, rows: int, folder: Path) -> Path:
    """A distributor's sell-out file: 95 % known names, 5 % unknown ones."""
    rng = random.Random(15)
    path = folder / "flow.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["日期", "客户名称", "产品", "批号", "数量"])
        for index in range(rows):
            name = fixture.customer_names[index % len(fixture.customer_names)] \
                if index % 20 else f"未登记药店{index % 997}"
            writer.writerow([f"2026-11-{1 + index % 28:02d}", name,
                             fixture.product_codes[index % len(fixture.product_codes)],
                             f"B{index % 50:03d}", 1 + rng.randrange(100)])
    return path


def _actor(kernel: Any, fixture: Fixture) -> Any:
    """The division's administrator (admin.east), as signed in."""
    from core.context import system_context
    from core.models import User
    from core.org import actor_for

    with system_context(), kernel.session() as session:
        return actor_for(session, session.get(User, fixture.admin_id))


def _kehu_import(db: BenchDB, fixture: Fixture, path: Path, *,
                 trace: bool = False) -> tuple[float, int]:
    """One import through the addon's code, as admin of the division; seconds, and the peak
    Python memory when `trace` (tracing slows Python down: that run is not timed)."""
    from addons.crm_channel.flowimport import import_file
    from core.context import acting_as

    kernel = db.boot()
    try:
        actor = _actor(kernel, fixture)
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        with acting_as(actor), kernel.sessions.begin() as session, path.open("rb") as stream:
            import_file(session, distributor_id=fixture.distributors[0], period="2026-11",
                        data=stream, file_name=path.name)
        took = time.perf_counter() - started
        peak = 0
        if trace:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return took, peak
    finally:
        kernel.engine.dispose()


def _raw_import(db: BenchDB, fixture: Fixture, path: Path) -> float:
    """The same rows with the csv module and one DB-API executemany, one commit."""
    kernel = db.boot()
    engine = kernel.engine
    try:
        raw = engine.raw_connection()
        marks = "%s" if engine.dialect.name == "postgresql" else "?"
        columns = ["distributor_id", "period", "sale_date", "customer_name", "product_name",
                   "batch", "quantity", "division_id", "version", "create_date", "write_date"]
        statement = (f"INSERT INTO crm_channel_flow ({', '.join(columns)}) "
                     f"VALUES ({', '.join([marks] * len(columns))})")
        now = dt.datetime(2026, 12, 1)
        started = time.perf_counter()
        cursor = raw.cursor()
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            batch: list[tuple[Any, ...]] = []
            for day, customer, product, batch_no, quantity in reader:
                batch.append((fixture.distributors[1], "2026-11", day, customer, product,
                              batch_no, int(quantity), fixture.division_id, 1, now, now))
                if len(batch) == 5000:
                    cursor.executemany(statement, batch)
                    batch = []
            if batch:
                cursor.executemany(statement, batch)
        raw.commit()
        took = time.perf_counter() - started
        cursor.execute(f"DELETE FROM crm_channel_flow WHERE distributor_id = {fixture.distributors[1]}")  # noqa: S608
        raw.commit()
        raw.close()
        return took
    finally:
        engine.dispose()


def run_flow(db: BenchDB, size: ChannelSize, fixture: Fixture, *, repeat: int) -> Result:
    """Figure 8: the flow import against a raw executemany of the same rows."""
    path = flow_file(fixture, size.flow_rows, db.folder)
    kehu, raw = [], []
    _took, peak = _kehu_import(db, fixture, path, trace=True)  # also warms the caches
    for _ in range(repeat):
        took, _peak = _kehu_import(db, fixture, path)  # a re-import replaces the period
        kehu.append(took * 1000)
        raw.append(_raw_import(db, fixture, path) * 1000)
        gc.collect()
    peaks = [peak]
    return compared(FLOW_FIGURE, db.backend, kehu, raw, 3,
                    note=f"{size.flow_rows:,} rows, 5 % unknown names; peak Python memory "
                         f"{max(peaks) / 1e6:.0f} MB",
                    details={"rows": size.flow_rows, "peak_bytes": max(peaks)})


def stock_data(db: BenchDB, size: ChannelSize, fixture: Fixture) -> list[int]:
    """Periods, and per period a shipment line and a flow line per distributor × product."""
    kernel = db.boot()
    try:
        tables = kernel.model_keys
        periods = []
        for month in range(1, size.periods + 1):
            start = dt.date(2025, month, 1)
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) \
                - dt.timedelta(days=1)
            periods.append((f"2025-{month:02d}", start, end, "open", fixture.division_id))
        bulk_insert(kernel, tables["crm_channel_period"].__table__,
                    ["code", "date_from", "date_to", "state", "division_id"], periods)
        pairs = [(d, p) for d in fixture.distributors for p in fixture.products]
        first = fixture.distributors[0]
        bulk_insert(kernel, tables["crm_channel_order"].__table__,
                    ["number", "distributor_id", "order_date", "state", "total", "division_id"],
                    [("BENCH-1", first, periods[0][1], "closed", 0, fixture.division_id)])
        with kernel.engine.connect() as connection:
            order = connection.scalar(sa.text(
                "SELECT id FROM crm_channel_order WHERE number = 'BENCH-1'"))
        bulk_insert(kernel, tables["crm_channel_shipment"].__table__,
                    ["order_id", "distributor_id", "delivery_no", "ship_date", "division_id"],
                    [(order, first, "BENCH-1", periods[0][1], fixture.division_id)])
        with kernel.engine.connect() as connection:
            shipment = connection.scalar(sa.text(
                "SELECT id FROM crm_channel_shipment WHERE delivery_no = 'BENCH-1'"))
        bulk_insert(kernel, tables["crm_channel_shipment_line"].__table__,
                    ["shipment_id", "distributor_id", "product_id", "ship_date", "quantity",
                     "amount", "division_id"],
                    ((shipment, d, p, start + dt.timedelta(days=3), 50, 5000, fixture.division_id)
                     for _code, start, _end, _s, _div in periods for d, p in pairs))
        bulk_insert(kernel, tables["crm_channel_flow"].__table__,
                    ["distributor_id", "product_id", "period", "customer_name", "product_name",
                     "quantity", "division_id"],
                    ((d, p, code, "终端", "产品", 30, fixture.division_id)
                     for code, _start, _end, _s, _div in periods for d, p in pairs))
        with kernel.engine.connect() as connection:
            return list(connection.scalars(sa.text(
                "SELECT id FROM crm_channel_period WHERE division_id = :d ORDER BY date_from"),
                {"d": fixture.division_id}))
    finally:
        kernel.engine.dispose()


def _kehu_stock(db: BenchDB, fixture: Fixture, period_ids: list[int]) -> float:
    from addons.crm_channel.inventory import compute_stock
    from addons.crm_channel.models import Period
    from core.context import acting_as

    kernel = db.boot()
    try:
        actor = _actor(kernel, fixture)
        started = time.perf_counter()
        with acting_as(actor), kernel.sessions.begin() as session:
            for period_id in period_ids:
                compute_stock(session, session.get(Period, period_id), actor)
        return time.perf_counter() - started
    finally:
        kernel.engine.dispose()


def _raw_statements(db: BenchDB, fixture: Fixture, period_ids: list[int]) -> list[str]:
    """The calculation's SQL per period, compiled with its values (what the raw run executes)."""
    from addons.crm_channel.inventory import FIGURES, movements
    from addons.crm_channel.models import Period

    kernel = db.boot()
    try:
        statements = []
        with kernel.engine.connect() as connection, sa.orm.Session(connection) as session:
            previous = None
            for period_id in period_ids:
                period = session.get(Period, period_id)
                select = movements(period, previous)
                sql = select.compile(dialect=kernel.engine.dialect,
                                     compile_kwargs={"literal_binds": True})
                names = ["distributor_id", "product_id", *FIGURES, "closing", "difference"]
                statements.append(f"DELETE FROM crm_channel_stock WHERE period_id = {period_id}")
                statements.append(
                    f"INSERT INTO crm_channel_stock ({', '.join(names)}, period_id, division_id,"
                    f" version, create_date, write_date) SELECT f.*, {period_id}, "
                    f"{fixture.division_id}, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP "
                    f"FROM ({sql}) AS f")
                previous = period_id
        return statements
    finally:
        kernel.engine.dispose()


def _raw_stock(db: BenchDB, statements: list[str]) -> float:
    kernel = db.boot()
    try:
        raw = kernel.engine.raw_connection()
        cursor = raw.cursor()
        started = time.perf_counter()
        for statement in statements:
            cursor.execute(statement)
        raw.commit()
        took = time.perf_counter() - started
        raw.close()
        return took
    finally:
        kernel.engine.dispose()


def run_stock(db: BenchDB, size: ChannelSize, fixture: Fixture, *, repeat: int) -> Result:
    """Figure 9: 12 periods of channel stock against the same SQL run raw."""
    period_ids = stock_data(db, size, fixture)
    statements = _raw_statements(db, fixture, period_ids)
    kehu, raw = [], []
    for _ in range(repeat):
        kehu.append(_kehu_stock(db, fixture, period_ids) * 1000)
        raw.append(_raw_stock(db, statements) * 1000)
    cells = size.distributors * size.products * size.periods
    return compared(STOCK_FIGURE, db.backend, kehu, raw, 2,
                    note=f"{size.distributors} distributors × {size.products} products × "
                         f"{size.periods} periods ({cells:,} stock rows)")


def run(db: BenchDB, size_name: str, *, repeat: int,
        only: tuple[str, ...] = ("flow", "stock")) -> list[Result]:
    """The channel figures on one database (crm_channel must be installed)."""
    size = CHANNEL_SIZES[size_name]
    fixture = prepare(db, size)
    results = []
    if "flow" in only:
        results.append(run_flow(db, size, fixture, repeat=repeat))
    if "stock" in only:
        results.append(run_stock(db, size, fixture, repeat=repeat))
    return results


def _minimal(database: Any, backend: str, url: str, folder: Path, data: Path) -> BenchDB:
    """A database with crm_customer and crm_channel only, and the generated customers."""
    from core.installer import initialise

    db = database.BenchDB(backend=backend, url=url, folder=folder,
                          addons=["crm_customer", "crm_channel"])
    initialise(db.settings()).kernel.engine.dispose()
    kernel = db.boot()
    try:
        db.users = database.build_org(kernel, data / "org.csv")
        database.load_customers(kernel, data / "customers.csv")
    finally:
        kernel.engine.dispose()
    return db


def main() -> int:
    """Alone: build a small database per backend and print both figures."""
    from bench import database
    from bench.generate import SIZES, generate

    parser = argparse.ArgumentParser(prog="python -m bench.channel")
    parser.add_argument("--size", choices=sorted(CHANNEL_SIZES), default="tiny")
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", default="flow,stock", help="flow, stock or both")
    args = parser.parse_args()
    only = tuple(name.strip() for name in args.only.split(","))
    work = ROOT / "var" / "bench" / f"channel-{args.size}"
    data = generate(SIZES["tiny"], work / "data")
    for backend in args.backends.split(","):
        folder = work / backend
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        pg = None
        if backend == "postgresql":
            from core.testing.pgserver import PgServer

            pg = PgServer().start()
            server = pg
            url = lambda: server.create_database("kehu_channel_bench")  # noqa: E731
        else:
            url = lambda: f"sqlite:///{folder / 'kehu.db'}"  # noqa: E731
        try:
            db = _minimal(database, backend, url(), folder, data)
            for result in run(db, args.size, repeat=args.repeat, only=only):
                print(backend, result.figure, f"kehu {result.kehu:.0f} ms",
                      f"raw {result.raw:.0f} ms", f"ratio {result.ratio:.2f}", result.note)
        finally:
            if pg is not None:
                pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
