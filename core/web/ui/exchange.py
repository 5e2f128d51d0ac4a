"""Import and export pages of every model: templates, uploads with progress,
row-by-row error reports, and streamed CSV / Excel exports of a filtered list."""

from __future__ import annotations

import contextvars
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from core.api.errors import RateLimited
from core.api.ratelimit import RateLimiter, limiter_for
from core.context import current_actor
from core.dataexchange import (
    FORMATS,
    MEDIA_TYPES,
    error_report,
    export_filename,
    export_stream,
    import_job,
    start_import_job,
    template,
)
from core.errors import KehuError, ValidationError
from core.i18n import _
from core.settings import LimitedAction
from core.web.pages import render
from core.web.ui.common import kernel_of, model_page, page_context
from core.web.ui.listing import list_query

MAX_UPLOAD = 50 * 1024 * 1024  # bytes; a 100,000-row CSV is about 10 MB


def _limiter(request: Request, action: LimitedAction = "export") -> RateLimiter:
    """The rate limit of exports (or of `action`), from [limits.*] in kehu.toml (#22)."""
    return limiter_for(request.app.state, kernel_of(request), action)


def _format(request: Request) -> str:
    fmt = request.path_params["fmt"]
    if fmt not in FORMATS:
        raise HTTPException(404)
    return str(fmt)


def _disposition(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


async def export_list(request: Request) -> Response:
    """GET /m/<key>/export.<csv|xlsx>?<the list's filters>: stream the rows."""
    fmt = _format(request)
    page = model_page(request, request.path_params["key"])
    _limiter(request).check(current_actor().user_id)
    kernel = kernel_of(request)
    query = list_query(page, request.query_params)

    # export_stream captures the user and language now: the body streams later.
    chunks = export_stream(kernel, page.model, query, fmt)
    return StreamingResponse(chunks, media_type=MEDIA_TYPES[fmt],
                             headers=_disposition(export_filename(page.model, fmt)))


async def import_template(request: Request) -> Response:
    """GET /m/<key>/import/template.<csv|xlsx>: the file to fill."""
    fmt = _format(request)
    page = model_page(request, request.path_params["key"])
    body = await run_in_threadpool(template, kernel_of(request), page.model, fmt)
    return Response(body, media_type=MEDIA_TYPES[fmt],
                    headers=_disposition(f"{page.key}-template.{fmt}"))


async def import_page(request: Request) -> Response:
    """GET /m/<key>/import: upload a file; POST starts the import and shows its progress."""
    key = request.path_params["key"]
    page = model_page(request, key)
    if request.method == "GET":
        return render(request, "import.html", **page_context(request, page=page))
    form = await request.form()
    upload = form.get("file")
    try:
        _limiter(request, "import").check(current_actor().user_id)
        if upload is None or isinstance(upload, str) or not upload.filename:
            message = _("Choose a CSV or Excel file.")
            raise ValidationError(message, fields={"file": message})
        data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            message = _("The file is larger than {size} MB.").format(size=MAX_UPLOAD >> 20)
            raise ValidationError(message, fields={"file": message})
        kernel_of(request).policy.check(current_actor(), page.model, "create")
        # A job on the queue (#20): the file is stored with it; a job worker (or, on
        # SQLite, the in-process runner) imports it while this page shows the progress.
        job_id = await run_in_threadpool(
            contextvars.copy_context().run, start_import_job, kernel_of(request), page.model,
            data, filename=upload.filename, valid_only=form.get("valid_only") == "y")
    except KehuError as error:
        response = render(request, "import.html", status_code=error.status,
                          **page_context(request, page=page, error=error))
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    return RedirectResponse(f"/m/{key}/import/{job_id}", status_code=303)


def _job(request: Request) -> Any:
    # Any web worker answers: the job's progress and result are in the database (#20).
    job = import_job(kernel_of(request), request.path_params["job_id"],
                     user_id=current_actor().user_id)
    if job is None:
        raise HTTPException(404)
    return job


async def import_status(request: Request) -> Response:
    """GET /m/<key>/import/<job>: progress, then the result and the row errors."""
    key = request.path_params["key"]
    page = model_page(request, key)
    job = _job(request)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(job.status())
    return render(request, "import_status.html",
                  **page_context(request, page=page, job=job, status=job.status(),
                                 errors=job.errors()[:200]))


async def import_errors(request: Request) -> Response:
    """GET /m/<key>/import/<job>/errors.<csv|xlsx>: the row-by-row error report."""
    fmt = _format(request)
    model_page(request, request.path_params["key"])
    job = _job(request)
    body = await run_in_threadpool(error_report, job.result, fmt)
    return Response(body, media_type=MEDIA_TYPES[fmt],
                    headers=_disposition(f"import-errors.{fmt}"))
