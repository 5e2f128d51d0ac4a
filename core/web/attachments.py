"""The Attachments panel of a record's form, upload, download and removal (core.attachments).

The panel lists the files of the record and, when its form edits lines of an
attachable model (claim lines), of those lines too; an upload names which of
them it belongs to. Downloads are always sent as attachments with nosniff, so
a browser never renders an uploaded file in the application's origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from core import attachments
from core.context import current_actor
from core.errors import KehuError, NotFound
from core.fields import display_name_column, model_label
from core.i18n import _
from core.kernel import Kernel
from core.web.pages import environment, render
from core.web.security import safe_next
from core.web.ui.common import page_context


def _kernel(request: Request) -> Kernel:
    kernel: Kernel = request.app.state.kernel
    return kernel


def _data_dir(kernel: Kernel) -> Any:
    return kernel.settings.path(kernel.settings.data_dir)


@dataclass(frozen=True)
class Target:
    """A record an upload may belong to: the form's record or one of its lines."""

    value: str  # "<model key>:<id>"
    label: str


@dataclass(frozen=True)
class Panel:
    """What the form shows: the files, where an upload may go, and whether it may."""

    key: str
    record_id: int
    files: list[tuple[Any, str]]  # (attachment, which record: "" for the form's own)
    targets: list[Target]
    can_upload: bool

    @property
    def upload_url(self) -> str:
        return f"/m/{self.key}/{self.record_id}/attachments"


def _line_records(kernel: Kernel, model: type, record: Any) -> list[tuple[str, Any]]:
    """(model key, line) of the form's inline lines whose model takes attachments."""
    views = kernel.views.get(model)
    found: list[tuple[str, Any]] = []
    for lines in (views.form.lines if views is not None and views.form is not None else ()):
        child = lines.relationship.property.mapper.class_
        if attachments.attachable(child):
            found += [(child.__tablename__, row) for row in getattr(record, lines.relationship.key)]
    return found


def _panel(kernel: Kernel, key: str, record_id: int) -> Panel | None:
    model = kernel.model_keys.get(key)
    if not attachments.attachable(model):
        return None
    assert model is not None
    actor = current_actor()
    with kernel.session() as session:
        record = session.get(model, record_id)
        if record is None:
            return None
        lines = _line_records(kernel, model, record)
        targets = [Target(f"{key}:{record_id}", _("This {model}").format(model=model_label(model)))]
        names: dict[tuple[str, int], str] = {}
        for index, (line_key, line) in enumerate(lines, start=1):
            text = _("Line {number}: {name}").format(
                number=index, name=getattr(line, display_name_column(type(line)).key) or "")
            names[(line_key, line.id)] = text
            targets.append(Target(f"{line_key}:{line.id}", text))
        owners = [(key, record_id), *[(line_key, line.id) for line_key, line in lines]]
        files = [(item, names.get((item.model, item.res_id), ""))
                 for item in attachments.listed(session, owners)]
    can_upload = kernel.policy.allowed(actor, model, "write")
    return Panel(key, record_id, files, targets, can_upload)


def attachments_panel(request: Request, key: str, record: Any) -> Panel | None:
    """Template global: the panel of `record` on its form (None when its model takes none)."""
    if record is None or getattr(record, "id", None) is None:
        return None
    return _panel(_kernel(request), key, int(record.id))


environment.globals["attachments_panel"] = attachments_panel


def _upload(request: Request, key: str, record_id: int, target: str, name: str,
            data: bytes) -> attachments.Attachment:
    kernel = _kernel(request)
    model_key, _sep, raw_id = (target or f"{key}:{record_id}").partition(":")
    allowed = {f"{key}:{record_id}"}
    with kernel.session() as session:
        form_model = kernel.model_keys.get(key)
        record = session.get(form_model, record_id) if form_model is not None else None
        if record is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        allowed |= {f"{k}:{line.id}" for k, line in _line_records(kernel, form_model, record)}
    if f"{model_key}:{raw_id}" not in allowed:
        raise NotFound(_("The record does not exist or you may not see it."))
    model = kernel.model_keys[model_key]
    with kernel.sessions.begin() as session:
        return attachments.store(session, _data_dir(kernel), model, int(raw_id),
                                 attachments.Upload(name, data))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def upload(request: Request) -> Response:
    """POST /m/<key>/<id>/attachments (multipart: file, target): attach a file."""
    key, record_id = request.path_params["key"], int(request.path_params["record_id"])
    form = await request.form(max_part_size=attachments.MAX_SIZE + 1)
    item = form.get("file")
    back = f"/m/{key}/{record_id}#attachments"
    try:
        if isinstance(item, UploadFile):
            attachments.check_size(item.size or 0)  # before reading a huge file
        data = await item.read() if isinstance(item, UploadFile) else b""
        name = item.filename or "" if isinstance(item, UploadFile) else ""
        saved = await run_in_threadpool(_upload, request, key, record_id,
                                        str(form.get("target") or ""), name, data)
    except KehuError as error:
        if _wants_json(request):
            return JSONResponse({"error": {"code": error.code, "message": error.message,
                                           "fields": error.fields}}, status_code=error.status)
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Not attached"), message=error.message,
                                     back=back))
    finally:
        await form.close()
    if _wants_json(request):
        return JSONResponse({"id": saved.id, "file_name": saved.file_name,
                             "content_type": saved.content_type, "size": saved.size,
                             "sha256": saved.sha256, "url": f"/attachments/{saved.id}"},
                            status_code=201)
    return RedirectResponse(back, status_code=303)


def _read(request: Request, attachment_id: int) -> tuple[attachments.Attachment, bytes]:
    kernel = _kernel(request)
    with kernel.session() as session:
        found = attachments.readable(session, kernel.model_keys, attachment_id)
        return found, attachments.content(_data_dir(kernel), found)


async def download(request: Request) -> Response:
    """GET /attachments/<id>: the file, for whoever can read its record."""
    try:
        found, data = await run_in_threadpool(_read, request, int(request.path_params["attachment_id"]))
    except KehuError as error:
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Not found"), message=error.message, back="/"))
    fallback = found.file_name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(found.file_name)}"
    return Response(data, media_type=found.content_type, headers={
        "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


def _remove(request: Request, attachment_id: int) -> None:
    kernel = _kernel(request)
    with kernel.sessions.begin() as session:
        attachments.remove(session, _data_dir(kernel), kernel.model_keys, attachment_id)


async def remove(request: Request) -> Response:
    """POST /attachments/<id>/delete: remove a file (write right on its record)."""
    form = await request.form()
    back = safe_next(form.get("next"), "/")
    try:
        await run_in_threadpool(_remove, request, int(request.path_params["attachment_id"]))
    except KehuError as error:
        return render(request, "message.html", status_code=error.status,
                      **page_context(request, title=_("Not removed"), message=error.message,
                                     back=back))
    return RedirectResponse(back, status_code=303)


def attachment_routes() -> list[BaseRoute]:
    """Upload (per record form), download and removal."""
    return [
        Route("/m/{key}/{record_id:int}/attachments", upload, methods=["POST"],
              name="model_attachment_upload"),
        Route("/attachments/{attachment_id:int}", download, name="attachment_download"),
        Route("/attachments/{attachment_id:int}/delete", remove, methods=["POST"],
              name="attachment_remove"),
    ]
