"""Administrator pages that are more than a form: passwords, hand-over, visibility."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from core.addons import AddonError
from core.context import current_actor
from core.errors import AccessDenied, KehuError, NotFound, ValidationError
from core.i18n import _
from core.models import Division, User
from core.org import set_password
from core.reassign import reassign_all
from core.web.admin_jobs import admin_job_routes
from core.web.pages import render
from core.web.ui.common import kernel_of, page_context


def _user_name(request: Request, user_id: int) -> str:
    with kernel_of(request).session() as session:
        user = session.get(User, user_id)
        return user.name if user is not None else ""


async def password_page(request: Request) -> Response:
    """GET/POST /admin/users/<id>/password: an administrator sets a new password."""
    user_id = int(request.path_params["user_id"])
    error: KehuError | None = None
    if request.method == "POST":
        form = await request.form()
        password = str(form.get("password", ""))
        try:
            if password != str(form.get("confirm", "")):
                message = _("The two passwords differ.")
                raise KehuError(message, fields={"confirm": message})
            await run_in_threadpool(_set, request, user_id, password)
        except KehuError as failure:
            error = failure
        else:
            return RedirectResponse(f"/m/kehu_user/{user_id}", status_code=303)
    name = await run_in_threadpool(_user_name, request, user_id)
    return render(request, "admin_password.html", status_code=error.status if error else 200,
                  **page_context(request, user_id=user_id, name=name, error=error))


def _set(request: Request, user_id: int, password: str) -> None:
    with kernel_of(request).sessions.begin() as session:
        set_password(session, current_actor(), user_id, password)


def _addon_rows(request: Request, division_id: int) -> tuple[Any, list[dict[str, Any]]]:
    kernel = kernel_of(request)
    with kernel.session() as session:
        division = session.get(Division, division_id)
    if division is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    enabled = kernel.registry.enabled_for(division_id)
    rows = [
        {"name": name, "summary": _(kernel.registry.manifest(name).summary),
         "depends": ", ".join(kernel.registry.manifest(name).depends), "on": name in enabled}
        for name in kernel.registry.installed
    ]
    return division, rows


def _switch(request: Request, division_code: str, wanted: set[str]) -> None:
    # Imported here: the installer brings Alembic, which a worker needs only for this.
    from core.installer import disable, enable

    if not current_actor().is_admin:
        raise AccessDenied(_("Only an administrator may switch addons on or off."))
    kernel = kernel_of(request)
    current = kernel.registry.enabled_for(_division_id(request, division_code))
    for name in sorted(wanted - current):
        enable(kernel, name, division_code)
    for name in reversed(kernel.registry.installed):
        if name in current and name not in wanted:
            disable(kernel, name, division_code)


def _division_id(request: Request, code: str) -> int:
    with kernel_of(request).session() as session:
        found = session.scalar(sa.select(Division.id).where(Division.code == code))
    if found is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    return int(found)


async def addons_page(request: Request) -> Response:
    """GET/POST /admin/divisions/<id>/addons: which installed addons a division uses."""
    division_id = int(request.path_params["division_id"])
    division, rows = await run_in_threadpool(_addon_rows, request, division_id)
    error: KehuError | AddonError | None = None
    if request.method == "POST":
        form = await request.form()
        wanted = {str(v) for v in form.getlist("addons")}
        try:
            await run_in_threadpool(_switch, request, division.code, wanted)
        except (KehuError, AddonError) as failure:
            error = failure
        else:
            return RedirectResponse(f"/admin/divisions/{division_id}/addons", status_code=303)
    return render(request, "admin_addons.html", status_code=400 if error else 200,
                  **page_context(request, division=division, rows=rows, error=error))


def _handover(request: Request, user_id: int, to_login: str, reason: str) -> dict[str, int]:
    kernel = kernel_of(request)
    models = [m for models in kernel.models.values() for m in models]
    with kernel.sessions.begin() as session:
        target = session.scalar(sa.select(User.id).where(User.login == to_login))
        if target is None:
            message = _("No user with this login.")
            raise ValidationError(message, fields={"to_user": message})
        return reassign_all(session, from_user_id=user_id, to_user_id=int(target), reason=reason,
                            models=models)


async def handover_page(request: Request) -> Response:
    """GET/POST /admin/users/<id>/handover: a leaving user's records go to a colleague."""
    user_id = int(request.path_params["user_id"])
    error: KehuError | None = None
    moved: dict[str, int] | None = None
    form: dict[str, str] = {}
    if request.method == "POST":
        form = {k: str(v) for k, v in (await request.form()).items()}
        try:
            if not current_actor().is_admin:
                raise AccessDenied(_("Only an administrator may hand over a user's records."))
            moved = await run_in_threadpool(_handover, request, user_id,
                                            form.get("to_login", "").strip(), form.get("reason", ""))
        except KehuError as failure:
            error = failure
    name = await run_in_threadpool(_user_name, request, user_id)
    return render(request, "admin_handover.html", status_code=error.status if error else 200,
                  **page_context(request, user_id=user_id, name=name, error=error, moved=moved,
                                 form=form))


def admin_routes() -> list[BaseRoute]:
    """Routes of the administrator pages."""
    return [
        Route("/admin/users/{user_id:int}/handover", handover_page, methods=["GET", "POST"],
              name="admin_handover"),
        Route("/admin/divisions/{division_id:int}/addons", addons_page, methods=["GET", "POST"],
              name="admin_addons"),
        Route("/admin/users/{user_id:int}/password", password_page, methods=["GET", "POST"],
              name="admin_password"),
        *admin_job_routes(),  # core/web/admin_jobs.py (#20)
    ]



