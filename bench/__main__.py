"""`python -m bench [--size full|small|tiny]`: every figure on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import database, report
from bench.generate import SIZES, Size, generate
from bench.harness import ROOT, Result, Server, not_measured


@dataclass(frozen=True)
class Plan:
    """How often each figure repeats at a size."""

    import_runs: int
    read_runs: int
    report_runs: int
    throughput_seconds: float
    startups: int


PLANS = {
    "full": Plan(import_runs=3, read_runs=15, report_runs=7, throughput_seconds=30, startups=3),
    "small": Plan(import_runs=3, read_runs=20, report_runs=10, throughput_seconds=30, startups=3),
    "tiny": Plan(import_runs=1, read_runs=3, report_runs=2, throughput_seconds=2, startups=1),
}
FIGURES = ("import", "lists", "reports", "c360", "throughput", "startup", "channel", "workbench")


def _guard(results: list[Result], figure: str, backend: str, target: str,
           function: Callable[[], list[Result] | Result]) -> None:
    """Run a figure; a failure is reported as not measured, with its reason."""
    started = time.perf_counter()
    try:
        produced = function()
    except Exception as error:  # noqa: BLE001  (one broken figure must not hide the others)
        traceback.print_exc()
        results.append(not_measured(figure, backend, target, f"{type(error).__name__}: {error}"[:300]))
        return
    for result in produced if isinstance(produced, list) else [produced]:
        results.append(result)
        print(f"  {report.cells(result)}  [{time.perf_counter() - started:.0f} s]", flush=True)


def run_backend(db: database.BenchDB, size: Size, plan: Plan, data: Path,
                figures: set[str]) -> list[Result]:
    from bench import fig_360, fig_import, fig_lists, fig_reports, fig_server

    results: list[Result] = []
    backend = db.backend
    funnel = "crm_funnel" in db.addons
    if "import" in figures:
        _guard(results, fig_import.FIGURE, backend, "ratio ≤ 3",
               lambda: fig_import.run(db, data / "customers_import.csv", size.customers,
                                      repeat=plan.import_runs))
    if "channel" in figures and "crm_channel" in db.addons:  # flow import, stock (#15)
        from bench import channel

        _guard(results, channel.FLOW_FIGURE, backend, "ratio ≤ 3 / ≤ 2",
               lambda: channel.run(db, size.name, repeat=plan.import_runs))
    if "startup" in figures:
        _guard(results, fig_server.STARTUP_FIGURE, backend, "≤ 1.5 s",
               lambda: fig_server.startup(db, repeat=plan.startups))
    server = Server(db).start()
    try:
        if "lists" in figures:
            if funnel:
                _guard(results, fig_lists.LIST_FIGURE, backend, "ratio ≤ 2",
                       lambda: fig_lists.run(db, server.base, repeat=plan.read_runs))
            else:
                results.append(not_measured(fig_lists.LIST_FIGURE, backend, "ratio ≤ 2",
                                            "crm_funnel is not installable"))
        if "reports" in figures:
            _guard(results, fig_reports.FIGURE, backend, "ratio ≤ 1.5",
                   lambda: fig_reports.run(db, server.base, repeat=plan.report_runs))
        if "workbench" in figures and funnel:  # the home page and the global search (#18)
            from bench import fig_workbench

            _guard(results, fig_workbench.HOME_FIGURE, backend, "ratio ≤ 1.5 / ≤ 100 ms",
                   lambda: fig_workbench.run(db, server.base, repeat=plan.read_runs))
        if "c360" in figures:
            _guard(results, fig_360.FIGURE, backend, "statements do not grow",
                   lambda: fig_360.run(db))
        if backend == "sqlite" or "throughput" not in figures:
            _guard(results, fig_server.MEMORY_FIGURE, backend, "≤ 150 MB",
                   lambda: fig_server.memory(db, server, "the read figures"))
    finally:
        server.stop()
    if backend == "postgresql" and "throughput" in figures:
        holder: list[Result] = []

        def throughput() -> list[Result]:
            rate, rss = fig_server.throughput(db, seconds=plan.throughput_seconds)
            holder.append(rss)
            return [rate]

        _guard(results, fig_server.THROUGHPUT_FIGURE, backend, "0 errors", throughput)
        results.extend(holder)
        for result in holder:
            print(f"  {report.cells(result)}", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--backends", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--figures", default=",".join(FIGURES),
                        help=f"comma-separated subset of {', '.join(FIGURES)}")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for data and databases (default var/bench/<size>)")
    parser.add_argument("--results", type=Path, default=report.RESULTS,
                        help="where the results go: latest.json and latest.md for a full run, "
                             "<size>.json and <size>.md otherwise")
    args = parser.parse_args(argv)
    size, plan = SIZES[args.size], PLANS[args.size]
    figures = {name.strip() for name in args.figures.split(",") if name.strip()}
    work = args.work or ROOT / "var" / "bench" / size.name
    started = dt.datetime.now(dt.UTC)
    load_before = report.load_average()
    print(f"Generating {size.customers:,} customers and {size.opportunities:,} opportunities…",
          flush=True)
    data = generate(size, work / "data")
    results: list[Result] = []
    addons: list[str] = []
    skipped: dict[str, str] = {}
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        folder = work / backend
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        pg = None
        try:
            if backend == "postgresql":
                from core.testing.pgserver import PgServer

                pg = PgServer().start()
                server = pg

                def fresh() -> str:
                    return server.create_database("kehu_bench")
            else:
                def fresh() -> str:
                    for leftover in folder.glob("kehu.db*"):
                        leftover.unlink()
                    return f"sqlite:///{folder / 'kehu.db'}"
            print(f"[{backend}] building the database…", flush=True)
            loaded = time.perf_counter()
            db = database.create(backend, fresh, folder, data)
            if db.skipped:
                print(f"[{backend}] {db.skipped}", flush=True)
                skipped[backend] = db.skipped
            addons = db.addons
            print(f"[{backend}] ready in {time.perf_counter() - loaded:.0f} s", flush=True)
            results += run_backend(db, size, plan, data, figures)
        finally:
            if pg is not None:
                pg.stop()
    finished = dt.datetime.now(dt.UTC)
    meta = {"size": size.name, "customers": size.customers, "opportunities": size.opportunities,
            "reps": size.reps, "started": started.strftime("%Y-%m-%d %H:%M"),
            "finished": finished.strftime("%H:%M"), "machine": report.machine(), "addons": addons,
            "addons_skipped": skipped,
            "seconds": round((finished - started).total_seconds()),
            "load_average": {"start": load_before, "end": report.load_average()}}
    print()
    print(report.table(results))
    json_path, md_path = report.write(results, meta, args.results)
    print(f"\nWrote {json_path} and {md_path} ({meta['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
