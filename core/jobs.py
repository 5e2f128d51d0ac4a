"""Periodic work that addons declare: return customers to the pool, flag overdue
leads, take the weekly forecast snapshot.

An addon returns `Job`s from `kehu_register_jobs`; `kehu jobs run` (from cron or a
systemd timer, see docs/operations.md) runs each job once for every active
division where the job's addon is enabled, in the system context, one
transaction per job and division: a failing job is logged and rolled back
without stopping the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import system_context
from core.i18n import LazyText
from core.kernel import Kernel
from core.models import Division

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A unit of periodic work; `run(session, division)` returns how many records it changed.

    `schedule` is a cron expression (minute hour day month weekday, UTC): the job
    runs once per division at each time it names, whatever the number of workers.
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


def registered_jobs(kernel: Kernel) -> list[tuple[str, Job]]:
    """(addon, job) for every installed addon's jobs, in install order."""
    jobs = kernel.registry.collect("kehu_register_jobs")
    keys = [job.key for _addon, job in jobs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise ValueError(f"job keys declared twice: {', '.join(duplicated)}")
    return jobs


def run_jobs(kernel: Kernel, *, only: Sequence[str] = ()) -> list[JobResult]:
    """Run the jobs (all, or the keys in `only`) for every division that enables them."""
    jobs = [(addon, job) for addon, job in registered_jobs(kernel) if not only or job.key in only]
    unknown = set(only) - {job.key for _addon, job in jobs}
    if unknown:
        raise ValueError(f"unknown job: {', '.join(sorted(unknown))}")
    kernel.refresh_enabled()
    results = []
    with system_context():
        with kernel.session() as session:
            divisions = list(session.scalars(sa.select(Division).where(Division.active)
                                             .order_by(Division.id)))
            session.expunge_all()
        for addon, job in jobs:
            for division in divisions:
                if addon not in kernel.registry.enabled_for(division.id):
                    continue
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
