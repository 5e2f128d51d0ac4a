"""`kehu jobs`: list the jobs, run them now, or run a job worker."""

from __future__ import annotations

import sys

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
