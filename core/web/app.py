"""The Starlette application factory."""

from __future__ import annotations

import asyncio
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

from core import security_log
from core.api import api_routes
from core.auth import web as auth_web
from core.kernel import Kernel, boot
from core.notify.api import chatter_api_routes
from core.notify.web import notify_routes
from core.search.web import search_routes
from core.settings import Settings
from core.web.addon_routes import addon_routes
from core.web.admin import admin_routes
from core.web.approvals import approval_routes
from core.web.busy import BusyRetryMiddleware
from core.web.errors import EXCEPTION_HANDLERS
from core.web.locale import LocaleMiddleware
from core.web.security import AuthKeys, SecurityMiddleware
from core.web.ui import ui_routes
from core.web.ui.reports import report_routes
from core.workbench.web import RecentRecordsMiddleware, workbench_routes

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


def create_app(settings: Settings | None = None, kernel: Kernel | None = None) -> Starlette:
    """Build the application around a booted kernel (booted here if not given).

    Every request passes LocaleMiddleware, then SecurityMiddleware
    (authentication, CSRF, security headers): see core.web.security.
    """
    kernel = kernel or boot(settings)
    security_log.configure(kernel.settings.path(kernel.settings.log_dir))
    keys = AuthKeys.from_settings(kernel.settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        kernel.engine.dispose()

    app = Starlette(
        routes=[
            *workbench_routes(),
            *notify_routes(),
            *chatter_api_routes(),  # before the API's /api/v1/<model> routes (#18)
            *search_routes(),
            Route("/health", health, name="health"),
            *auth_web.routes(),
            *api_routes(kernel),
            *report_routes(),
            *ui_routes(),
            *admin_routes(),
            *approval_routes(),
            *addon_routes(kernel),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[
            Middleware(LocaleMiddleware, default=kernel.settings.locale),
            Middleware(SecurityMiddleware, kernel=kernel, keys=keys),
            # A SQLite write refused as "database is locked" runs again first (#13).
            Middleware(BusyRetryMiddleware, enabled=kernel.engine.dialect.name == "sqlite"),
            Middleware(RecentRecordsMiddleware, kernel=kernel),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    app.state.kernel = kernel
    app.state.auth_keys = keys
    # Awaited before answering a throttled sign-in; tests replace it to skip the wait.
    app.state.login_sleep = asyncio.sleep
    return app
