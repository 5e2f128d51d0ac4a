"""`kehu jobs`: list the jobs, run them now, or run a job worker."""

from __future__ import annotations

import sys
import time

import click

from core.i18n import _


@click.group()
def jobs() -> None:
    """Periodic work addons declare: list it, run it now, or run a job worker."""


@jobs.command("list")
def jobs_list() -> None:
    """List the jobs of the installed addons, with their schedules."""
    from core.cli import _kernel
    from core.jobs import registered_jobs

    for addon, job in registered_jobs(_kernel()):
        click.echo(f"{job.key}\t{job.schedule}\t{addon}\t{job.label}")


@jobs.command("run")
@click.argument("keys", nargs=-1)
def jobs_run(keys: tuple[str, ...]) -> None:
    """Run every job (or the KEYS given) now, for each division that enables its addon."""
    from core.cli import _kernel
    from core.jobs import run_jobs

    try:
        results = run_jobs(_kernel(), only=keys)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for result in results:
        outcome = (_("failed ({error}), see the log").format(error=result.error)
                   if result.error else _("{count} changed").format(count=result.changed))
        click.echo(f"{result.job}\t{result.division}\t{outcome}")
    if any(result.error for result in results):
        sys.exit(1)


@jobs.command("worker")
@click.option("--concurrency", type=int, default=1, show_default=True,
              help="Jobs this process runs at once.")
@click.option("--heartbeat", type=float, default=10.0, show_default=True,
              help="Seconds between this worker's heartbeats.")
@click.option("--stalled-after", type=float, default=30.0, show_default=True,
              help="Seconds without a heartbeat after which another worker's jobs run again.")
def jobs_worker(concurrency: int, heartbeat: float, stalled_after: float) -> None:
    """Work the job queue (PostgreSQL): run as many as you like, on any machine.

    On SQLite, runs the scheduled jobs in this process instead (`kehu serve`
    already does)."""
    from core.cli import _kernel

    kernel = _kernel()
    if kernel.settings.queue_jobs:
        from core.jobqueue import run_worker

        click.echo(_("Job worker started (PostgreSQL queue); stop it with Ctrl+C."), err=True)
        run_worker(kernel, concurrency=concurrency, heartbeat=heartbeat,
                   stalled_after=stalled_after)
        return
    from core.jobs import InProcessRunner

    click.echo(_("Running the scheduled jobs in this process; stop it with Ctrl+C."), err=True)
    runner = InProcessRunner(kernel)
    try:
        while True:
            time.sleep(runner.run_once())
    except KeyboardInterrupt:
        click.echo(_("Stopped."), err=True)
