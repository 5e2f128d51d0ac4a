"""Routes addons serve (`kehu_register_routes`), mounted under /a/<addon>/.

A division that has not enabled the addon gets 404 (as if the page did not
exist), like the generated pages of its models. What the routes read still
goes through the ORM as the signed-in user, so rights and record rules apply
below this gate too.
"""

from __future__ import annotations

from collections import defaultdict

from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from core.context import current_actor
from core.kernel import Kernel


class AddonGate:
    """Passes a request to an addon's routes only where the addon is enabled."""

    def __init__(self, kernel: Kernel, addon: str, app: ASGIApp) -> None:
        self.kernel, self.addon, self.app = kernel, addon, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        actor = current_actor()
        if not actor.system and self.addon not in self.kernel.registry.enabled_for(actor.division_id):
            raise HTTPException(404)
        await self.app(scope, receive, send)


def addon_routes(kernel: Kernel) -> list[BaseRoute]:
    """One mount per addon that registered routes: /a/<addon>/..."""
    by_addon: dict[str, list[BaseRoute]] = defaultdict(list)
    for addon, route in kernel.registry.collect("kehu_register_routes"):
        by_addon[addon].append(route)
    return [Mount(f"/a/{addon}", app=AddonGate(kernel, addon, Router(routes)))
            for addon, routes in by_addon.items()]
