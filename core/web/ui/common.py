"""What every generated page needs: the model of a URL, the menu, rights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from core.context import Actor, current_actor
from core.fields import model_label
from core.i18n import _
from core.kernel import Kernel
from core.records import Records
from core.reports import may_open


def kernel_of(request: Request) -> Kernel:
    """The kernel the application was built around."""
    kernel: Kernel = request.app.state.kernel
    return kernel


@dataclass(frozen=True)
class ModelPage:
    """A model as one request sees it: its service and what the actor may do."""

    key: str
    model: type
    records: Records
    can_create: bool
    can_write: bool
    can_delete: bool

    @property
    def label(self) -> str:
        return model_label(self.model)


def model_page(request: Request, key: str) -> ModelPage:
    """The model behind `/m/<key>`: 404 if unknown or its addon is off for the
    actor's division, 403 if the actor's roles cannot read it."""
    kernel = kernel_of(request)
    actor = current_actor()
    model = kernel.model_keys.get(key)
    if model is None or not kernel.policy.addon_enabled(actor, model):
        raise HTTPException(404)
    policy = kernel.policy
    if not policy.allowed(actor, model, "read"):
        policy.check(actor, model, "read")  # logs the denial and raises AccessDenied
    return ModelPage(
        key=key,
        model=model,
        records=kernel.records[model],
        can_create=policy.allowed(actor, model, "create"),
        can_write=policy.allowed(actor, model, "write"),
        can_delete=policy.allowed(actor, model, "delete"),
    )


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu as shown."""

    key: str
    label: str
    url: str
    active: bool


def navigation(request: Request, actor: Actor | None = None) -> list[NavItem]:
    """Menu entries of the enabled addons whose model the actor may read."""
    kernel = kernel_of(request)
    actor = actor or current_actor()
    if actor.user_id is None and not actor.system:
        return []
    enabled = kernel.registry.enabled_for(actor.division_id)
    items = []
    for addon, menu in sorted(kernel.menus, key=lambda item: item[1].sequence):
        if addon != "core" and addon not in enabled:
            continue
        if menu.model is not None and not kernel.policy.allowed(actor, menu.model, "read"):
            continue
        if menu.roles and not actor.is_admin and not set(menu.roles) & actor.roles:
            continue
        items.append(NavItem(menu.key, str(menu.label), menu.url,
                             request.url.path.startswith(menu.url)))
    if any(may_open(kernel.policy, actor, entry) for entry in kernel.reports.values()):
        path = request.url.path
        items.append(NavItem("reports", _("Reports"), "/r", path == "/r" or path.startswith("/r/")))
    return items


def page_context(request: Request, **extra: Any) -> dict[str, Any]:
    """Context every generated page passes to its template."""
    return {"nav": navigation(request), **extra}
