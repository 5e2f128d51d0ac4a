"""Periodic work that addons declare: return customers to the pool, flag overdue
leads, take the weekly forecast snapshot, send notifications.

An addon returns `Job`s from `kehu_register_jobs`, each with a cron schedule.
A scheduled run is one job in one active division where its addon is enabled,
at one scheduled time; its row in `kehu_job_run` (unique on job, division and
time) makes it happen once, however many processes run jobs:

- on PostgreSQL, job workers (`kehu jobs worker`, any number, on any machine)
  take the runs from a procrastinate queue (core/jobqueue.py), retry failures
  and pick up the runs of a worker that died;
- on SQLite, `kehu serve` runs them in a thread (`InProcessRunner`), so `make
  run` stays one command; that runner also starts the imports a stopped process
  left queued (core.dataexchange.jobs).

`kehu jobs run` runs jobs now, in the calling process (cron-style, or by hand).
Each run is one transaction in the system context: a failing run is logged and
rolled back without stopping the others.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import system_context
from core.i18n import LazyText
from core.kernel import Kernel
from core.models import Division

log = logging.getLogger(__name__)

JOBS_BRANCH = "kehu_jobs"
RUNNING, DONE, FAILED = "running", "done", "failed"
# A scheduled time missed by more than this (the server was down) is skipped.
MAX_DELAY = dt.timedelta(minutes=10)

_metadata = sa.MetaData()
job_runs = sa.Table(
    "kehu_job_run", _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("job", sa.String(120), nullable=False),
    sa.Column("division_id", sa.Integer, nullable=False),
    sa.Column("scheduled_for", sa.DateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("worker", sa.String(120)),
    sa.Column("started_at", sa.DateTime),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("changed", sa.Integer),
    sa.Column("error", sa.String(500)),
    sa.UniqueConstraint("job", "division_id", "scheduled_for"),
)


@dataclass(frozen=True)
class Job:
    """A unit of periodic work; `run(session, division)` returns how many records it changed.

    `schedule` is a cron expression (minute hour day month weekday, UTC; a sixth
    field counts seconds): the job runs once per division at each time it names,
    whatever the number of workers.
    """

    key: str
    label: LazyText
    run: Callable[[Session, Division], int]
    schedule: str = "0 * * * *"


@dataclass(frozen=True)
class JobResult:
    """What one job did in one division."""

    job: str
    division: str
    changed: int
    error: str | None = None


def utcnow() -> dt.datetime:
    """Naive UTC, as the tables store it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def worker_name() -> str:
    """host:pid of this process, recorded on the runs it does."""
    return f"{socket.gethostname()}:{os.getpid()}"


def registered_jobs(kernel: Kernel) -> list[tuple[str, Job]]:
    """(addon, job) for every installed addon's jobs, in install order."""
    jobs = kernel.registry.collect("kehu_register_jobs")
    keys = [job.key for _addon, job in jobs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise ValueError(f"job keys declared twice: {', '.join(duplicated)}")
    from croniter import croniter

    wrong = [f"{job.key} ({job.schedule!r})" for _addon, job in jobs
             if not croniter.is_valid(job.schedule)]
    if wrong:  # a typo fails when the jobs are listed or run, not silently never
        raise ValueError(f"jobs with an invalid cron schedule: {', '.join(wrong)}")
    return jobs


def find_job(kernel: Kernel, key: str) -> tuple[str, Job]:
    """(addon, job) for `key`; ValueError if no installed addon declares it."""
    for addon, job in registered_jobs(kernel):
        if job.key == key:
            return addon, job
    raise ValueError(f"unknown job: {key}")


def divisions_for(kernel: Kernel, addon: str) -> list[Division]:
    """The active divisions where `addon` is enabled (detached)."""
    kernel.refresh_enabled()
    with system_context(), kernel.session() as session:
        divisions = list(session.scalars(sa.select(Division).where(Division.active)
                                         .order_by(Division.id)))
        session.expunge_all()
    # The kernel's own jobs ("core": sending notifications, #18) run in every division.
    return [d for d in divisions if addon == "core" or addon in kernel.registry.enabled_for(d.id)]


def last_scheduled(schedule: str, now: dt.datetime) -> dt.datetime:
    """The latest time at or before `now` that `schedule` names."""
    from croniter import croniter

    return croniter(schedule, now + dt.timedelta(microseconds=1)).get_prev(dt.datetime)


def run_jobs(kernel: Kernel, *, only: Sequence[str] = ()) -> list[JobResult]:
    """Run the jobs (all, or the keys in `only`) now, for every division that enables them."""
    jobs = [(addon, job) for addon, job in registered_jobs(kernel) if not only or job.key in only]
    unknown = set(only) - {job.key for _addon, job in jobs}
    if unknown:
        raise ValueError(f"unknown job: {', '.join(sorted(unknown))}")
    results = []
    with system_context():
        for addon, job in jobs:
            for division in divisions_for(kernel, addon):
                results.append(_run_one(kernel, job, division))
    return results


def _run_one(kernel: Kernel, job: Job, division: Division) -> JobResult:
    try:
        with kernel.sessions.begin() as session:
            changed = job.run(session, session.merge(division, load=False))
    except Exception as error:  # one failing job must not stop the others
        log.exception("job %s failed in division %s", job.key, division.code)
        return JobResult(job.key, division.code, 0, error=type(error).__name__)
    log.info("job %s in division %s changed %d records", job.key, division.code, changed)
    return JobResult(job.key, division.code, int(changed or 0))


# ------------------------------------------------------------ scheduled runs


def claim_run(kernel: Kernel, key: str, division_id: int, scheduled_for: dt.datetime, *,
              retry: bool = False) -> bool:
    """Mark the run started; False if it was already claimed (and this is not a retry).

    The in-process runner claims (retry=False): the unique key lets one process
    win. The queue already hands each run to one worker, so its workers retry.
    """
    now = utcnow()
    with kernel.engine.begin() as connection:
        try:
            with connection.begin_nested():
                connection.execute(job_runs.insert().values(
                    job=key, division_id=division_id, scheduled_for=scheduled_for,
                    status=RUNNING, attempts=1, worker=worker_name(), started_at=now))
            return True
        except sa.exc.IntegrityError:
            if not retry:
                return False
        # A retry (a failure, or a worker that died): again, unless it was done already.
        updated = connection.execute(
            job_runs.update()
            .where(job_runs.c.job == key, job_runs.c.division_id == division_id,
                   job_runs.c.scheduled_for == scheduled_for, job_runs.c.status != DONE)
            .values(status=RUNNING, attempts=job_runs.c.attempts + 1, worker=worker_name(),
                    started_at=now, finished_at=None, error=None))
    return bool(updated.rowcount)


def _finish_run(kernel: Kernel, key: str, division_id: int, scheduled_for: dt.datetime,
                *, changed: int = 0, error: str | None = None) -> None:
    with kernel.engine.begin() as connection:
        connection.execute(
            job_runs.update()
            .where(job_runs.c.job == key, job_runs.c.division_id == division_id,
                   job_runs.c.scheduled_for == scheduled_for)
            .values(status=FAILED if error else DONE, finished_at=utcnow(), changed=changed,
                    error=error[:500] if error else None))


def run_scheduled(kernel: Kernel, key: str, division_id: int, scheduled_for: dt.datetime, *,
                  retry: bool = True) -> int | None:
    """Do one scheduled run, recorded in kehu_job_run; None if another process has it.

    A failure is recorded and raised again (the queue retries it)."""
    _addon, job = find_job(kernel, key)
    if not claim_run(kernel, key, division_id, scheduled_for, retry=retry):
        return None
    try:
        with system_context(), kernel.sessions.begin() as session:
            division = session.get(Division, division_id)
            if division is None or not division.active:
                changed = 0
            else:
                changed = int(job.run(session, division) or 0)
    except Exception as error:
        log.exception("job %s failed in division %s", key, division_id)
        _finish_run(kernel, key, division_id, scheduled_for,
                    error=f"{type(error).__name__}: {error}")
        raise
    _finish_run(kernel, key, division_id, scheduled_for, changed=changed)
    log.info("job %s in division %s changed %d records", key, division_id, changed)
    return changed


def recent_runs(kernel: Kernel, *, limit: int = 200) -> list[sa.Row[Any]]:
    """The latest scheduled runs, newest first (the admin page)."""
    with kernel.engine.connect() as connection:
        return list(connection.execute(
            job_runs.select().order_by(job_runs.c.scheduled_for.desc(), job_runs.c.id.desc())
            .limit(limit)))


# ------------------------------------------------------------ in-process runner


class InProcessRunner:
    """Runs the scheduled jobs in a thread of this process (SQLite, `make run`).

    Every `interval` seconds it looks at each job's latest scheduled time and
    runs it for each division, unless some process has claimed that run. Times
    before the process started, or missed by more than MAX_DELAY, are skipped.
    """

    def __init__(self, kernel: Kernel, *, interval: float = 15.0) -> None:
        self.kernel = kernel
        self.interval = interval
        # Times that passed before this process started are not caught up.
        self.started = utcnow()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="kehu-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._stop.wait(self.run_once())

    def run_once(self) -> float:
        """One tick; the seconds to wait before the next (the next due time, at most
        `interval`)."""
        try:
            self.tick()
            return self.wait()
        except Exception:  # the runner must outlive a broken job or database hiccup
            log.exception("in-process job runner: tick failed")
            return self.interval

    def wait(self) -> float:
        """Seconds until the next scheduled time of any job (at most `interval`)."""
        from croniter import croniter

        now = utcnow()
        following = [croniter(job.schedule, now).get_next(dt.datetime)
                     for _addon, job in registered_jobs(self.kernel)]
        if not following:
            return self.interval
        return min(self.interval, max(0.05, (min(following) - utcnow()).total_seconds() + 0.05))

    def tick(self, now: dt.datetime | None = None) -> int:
        """Run what is due now, and the imports nobody started; how many runs this process did."""
        from core.dataexchange.jobs import run_waiting_imports

        now = now or utcnow()
        done = run_waiting_imports(self.kernel)
        for addon, job in registered_jobs(self.kernel):
            due = last_scheduled(job.schedule, now)
            if now - due > MAX_DELAY or due < self.started:
                continue
            for division in divisions_for(self.kernel, addon):
                if self._stop.is_set():
                    return done
                try:
                    if run_scheduled(self.kernel, job.key, division.id, due,
                                     retry=False) is not None:
                        done += 1
                except Exception:  # noqa: BLE001  (recorded as failed; the next schedule tries again)
                    continue
        return done
