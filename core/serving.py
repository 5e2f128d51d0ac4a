"""The application `kehu serve` runs: the web app, plus the in-process job runner
when jobs do not go to the PostgreSQL queue (SQLite: `make run` is one command)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette

from core.web.app import create_app


def serve_app() -> Starlette:
    """create_app(), with the scheduled jobs running in this worker when so configured."""
    app = create_app()
    kernel = app.state.kernel
    settings = kernel.settings
    if settings.queue_jobs or settings.jobs_runner == "off":
        return app
    from core.jobs import InProcessRunner

    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(application: Starlette) -> AsyncIterator[None]:
        runner = InProcessRunner(kernel)
        runner.start()
        try:
            async with inner(application):
                yield
        finally:
            runner.stop()

    app.router.lifespan_context = lifespan
    return app
