"""The Starlette application factory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from core.kernel import Kernel, boot
from core.models import Division
from core.settings import Settings
from core.web.locale import LocaleMiddleware
from core.web.pages import render

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


async def health(request: Request) -> Response:
    """Liveness and database check for load balancers and `make run`."""
    kernel: Kernel = request.app.state.kernel
    try:
        with kernel.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        log.exception("health check: database unreachable")
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse(
        {"status": "ok", "database": kernel.engine.dialect.name, "addons": kernel.registry.installed}
    )


async def home(request: Request) -> Response:
    """The home page: the addons enabled for the division, and what they add."""
    kernel: Kernel = request.app.state.kernel
    with kernel.session() as session:
        divisions = list(session.scalars(sa.select(Division).order_by(Division.id)))
    code = request.query_params.get("division")
    division = next((d for d in divisions if d.code == code), divisions[0] if divisions else None)
    enabled = kernel.registry.enabled_for(division.id if division else None)
    addons = [kernel.registry.manifest(name) for name in kernel.registry.installed if name in enabled]
    items: list[str] = []
    if division is not None:
        for contributed in kernel.registry.hooks_for(division.id).kehu_extra_home_items(
            division=division
        ):
            items.extend(contributed)
    return render(
        request,
        "home.html",
        divisions=divisions,
        division=division,
        addons=addons,
        items=items,
    )


def create_app(settings: Settings | None = None, kernel: Kernel | None = None) -> Starlette:
    """Build the application around a booted kernel (booted here if not given)."""
    kernel = kernel or boot(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        kernel.engine.dispose()

    app = Starlette(
        routes=[
            Route("/", home, name="home"),
            Route("/health", health, name="health"),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(LocaleMiddleware, default=kernel.settings.locale)],
        lifespan=lifespan,
    )
    app.state.kernel = kernel
    return app
