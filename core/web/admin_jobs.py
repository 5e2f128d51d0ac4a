"""GET /admin/jobs: the jobs, their schedules, their latest runs and the queue (administrators)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from core.context import current_actor
from core.errors import AccessDenied
from core.i18n import _
from core.models import Division
from core.web.pages import render
from core.web.ui.common import kernel_of, page_context


def _overview(request: Request) -> dict[str, Any]:
    from core.jobs import recent_runs, registered_jobs

    kernel = kernel_of(request)
    with kernel.session() as session:
        divisions = dict(session.execute(sa.select(Division.id, Division.code)).all())
    labels = {job.key: str(job.label) for _addon, job in registered_jobs(kernel)}
    context: dict[str, Any] = {
        "jobs": [(addon, job) for addon, job in registered_jobs(kernel)],
        "runs": [(run, labels.get(run.job, run.job), divisions.get(run.division_id, "?"))
                 for run in recent_runs(kernel)],
        "queue": kernel.settings.queue_jobs,
        "counts": {},
        "queued": [],
        "states": {"running": _("Running"), "done": _("Done"), "failed": _("Failed")},
    }
    if kernel.settings.queue_jobs:
        from core.jobqueue import queue_counts, queued_jobs

        context["counts"] = queue_counts(kernel)
        context["queued"] = queued_jobs(kernel)
    return context


async def jobs_page(request: Request) -> Response:
    """The scheduled jobs and what they did; on PostgreSQL, the queue too."""
    actor = current_actor()
    if not (actor.system or actor.is_admin):
        raise AccessDenied(_("Only an administrator may see the jobs."))
    context = await run_in_threadpool(_overview, request)
    return render(request, "admin_jobs.html", **page_context(request, **context))


def admin_job_routes() -> list[BaseRoute]:
    """Routes of the jobs page."""
    return [Route("/admin/jobs", jobs_page, name="admin_jobs")]
