"""Jobs on PostgreSQL: a procrastinate queue, worked by `kehu jobs worker` processes.

Each job's schedule is a procrastinate periodic task, `kehu.tick.<job key>`:
every worker runs the periodic deferrer, and procrastinate defers each
scheduled tick once (a unique row per task and time), however many workers
run. A tick defers one `kehu.run` job per division that enables the addon;
`kehu.run` does the work (core.jobs.run_scheduled) and is retried on failure
(RETRIES attempts, waiting longer each time). A worker that dies mid-job stops
sending heartbeats: the others find its jobs stalled and run them again.

Imports started on the import page are `kehu.import` jobs
(core.dataexchange.jobs.run_import_job): the web worker stores the file and
defers the job; a job worker runs it as the user who started it.

procrastinate's tables live in the Kehu database (`kehu init` and `kehu db
upgrade` create them); the admin page /admin/jobs reads them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa

from core.jobs import divisions_for, registered_jobs, run_scheduled
from core.kernel import Kernel

log = logging.getLogger(__name__)

RUN_TASK = "kehu.run"
IMPORT_TASK = "kehu.import"
QUEUE = "kehu"
RETRIES = 4  # attempts after the first


def apply_queue_schema(connection: sa.Connection) -> bool:
    """Create procrastinate's tables and functions if missing; True if it did."""
    if queue_schema_ready(connection):
        return False
    from procrastinate.schema import SchemaManager

    # The script has no parameters: run it as is on the driver's cursor, inside the
    # caller's transaction (with the kernel's migrations: all or nothing).
    connection.connection.driver_connection.execute(SchemaManager.get_schema())  # type: ignore[union-attr]
    return True


def queue_schema_ready(bind: sa.Engine | sa.Connection) -> bool:
    """Whether procrastinate's tables exist in this database."""
    return sa.inspect(bind).has_table("procrastinate_jobs")


def conninfo(kernel_or_url: Kernel | str) -> str:
    """The libpq connection string of the Kehu database."""
    raw = kernel_or_url if isinstance(kernel_or_url, str) else kernel_or_url.settings.resolved_database_url
    url = sa.make_url(raw).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def build_app(kernel: Kernel) -> Any:
    """A procrastinate App with Kehu's tasks: one periodic tick per job, one run task."""
    from procrastinate import App, PsycopgConnector, RetryStrategy

    app = App(connector=PsycopgConnector(conninfo=conninfo(kernel)))

    @app.task(name=RUN_TASK, queue=QUEUE, pass_context=False,
              retry=RetryStrategy(max_attempts=RETRIES, exponential_wait=2))
    def run(job: str, division_id: int, scheduled_for: str) -> int | None:
        return run_scheduled(kernel, job, division_id, dt.datetime.fromisoformat(scheduled_for))

    @app.task(name=IMPORT_TASK, queue=QUEUE, pass_context=False,
              retry=RetryStrategy(max_attempts=1, wait=5))
    def run_import(job_id: str) -> str | None:
        from core.dataexchange.jobs import run_import_job

        # The queue hands the job to one worker; a second attempt follows a worker
        # that died mid-import (its transaction rolled back): it may take the job over.
        return run_import_job(kernel, job_id, retry=True)

    for addon, job in registered_jobs(kernel):
        _register_tick(app, kernel, addon, job.key, job.schedule, run)
    return app


def _register_tick(app: Any, kernel: Kernel, addon: str, key: str, schedule: str,
                   run: Any) -> None:
    async def tick(timestamp: int) -> int:
        scheduled_for = dt.datetime.fromtimestamp(timestamp, dt.UTC).replace(tzinfo=None)
        divisions = await asyncio.to_thread(divisions_for, kernel, addon)
        for division in divisions:
            await run.defer_async(job=key, division_id=division.id,
                                  scheduled_for=scheduled_for.isoformat())
        return len(divisions)

    task = app.task(name=f"kehu.tick.{key}", queue=QUEUE, pass_context=False)(tick)
    app.periodic(cron=schedule, periodic_id=key)(task)


async def retry_stalled(app: Any, *, seconds_since_heartbeat: float) -> int:
    """Queue again the jobs of workers that stopped sending heartbeats; how many."""
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=seconds_since_heartbeat)
    count = 0
    for job in stalled:
        log.warning("job %s (%s) was running on a worker that stopped: queued again",
                    job.id, job.task_name)
        await app.job_manager.retry_job(job)
        count += 1
    return count


async def _watch_stalled(app: Any, interval: float, stalled_after: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await retry_stalled(app, seconds_since_heartbeat=stalled_after)
        except Exception:  # keep watching; the worker itself goes on
            log.exception("could not look for stalled jobs")


def run_worker(kernel: Kernel, *, concurrency: int = 1, heartbeat: float = 10.0,
               stalled_after: float = 30.0) -> None:
    """Work the queue until SIGINT/SIGTERM: periodic ticks, runs, retries, stalled jobs."""

    async def main() -> None:
        app = build_app(kernel)
        async with app.open_async():
            watcher = asyncio.create_task(_watch_stalled(app, heartbeat, stalled_after))
            try:
                await app.run_worker_async(
                    queues=[QUEUE], concurrency=concurrency, name=None,
                    update_heartbeat_interval=heartbeat,
                    stalled_worker_timeout=stalled_after,
                )
            finally:
                watcher.cancel()

    asyncio.run(main())


def live_workers(kernel: Kernel, *, within: float = 60.0) -> int:
    """How many job workers sent a heartbeat in the last `within` seconds."""
    with kernel.engine.connect() as connection:
        if not queue_schema_ready(connection):
            return 0
        return int(connection.execute(sa.text(
            "SELECT count(*) FROM procrastinate_workers "
            "WHERE last_heartbeat > now() - make_interval(secs => :within)"),
            {"within": within}).scalar_one())


def defer_import(kernel: Kernel, job_id: str) -> bool:
    """Queue the import `job_id` for a job worker; False (not queued) if none is alive."""
    if not live_workers(kernel):
        return False
    from procrastinate import App, SyncPsycopgConnector

    app = App(connector=SyncPsycopgConnector(conninfo=conninfo(kernel), min_size=1, max_size=1))
    with app.open():
        app.configure_task(IMPORT_TASK, queue=QUEUE).defer(job_id=job_id)
    return True


def queue_counts(kernel: Kernel) -> dict[str, int]:
    """How many queued jobs are in each state (todo, doing, succeeded, failed...)."""
    with kernel.engine.connect() as connection:
        if not queue_schema_ready(connection):
            return {}
        rows = connection.exec_driver_sql(
            "SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status")
        return {status: int(count) for status, count in rows}


def queued_jobs(kernel: Kernel, *, limit: int = 100) -> list[sa.Row[Any]]:
    """The latest queued jobs (the admin page), newest first."""
    with kernel.engine.connect() as connection:
        if not queue_schema_ready(connection):
            return []
        return list(connection.execute(sa.text(
            "SELECT id, task_name, status::text AS status, attempts, args, scheduled_at "
            "FROM procrastinate_jobs ORDER BY id DESC LIMIT :limit"), {"limit": limit}))


__all__ = ["apply_queue_schema", "build_app", "defer_import", "live_workers", "queue_counts", "queued_jobs",
           "queue_schema_ready", "retry_stalled", "run_worker"]
