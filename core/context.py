"""Who is acting, in which division: carried through a request or a CLI command."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf code runs, with what record rules need to know.

    `system` bypasses rights and record rules (jobs, migrations, installs).
    Built for a signed-in user by `core.org.actor_for`.
    """

    user_id: int | None
    division_id: int | None
    system: bool = False
    roles: frozenset[str] = frozenset()
    department_id: int | None = None
    # Materialised paths ("/3/7/") of the user's department and of those they manage.
    department_path: str | None = None
    managed_paths: tuple[str, ...] = ()
    # Materialised paths of the regions the user covers, and product line ids.
    region_paths: tuple[str, ...] = ()
    product_line_ids: frozenset[int] = frozenset()
    # Divisions whose rows the user may ever see (own; all for headquarters).
    division_ids: frozenset[int] = field(default_factory=frozenset)
    locale: str | None = None
    name: str = ""
    login: str = ""

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


SYSTEM = Actor(user_id=None, division_id=None, system=True, name="system", login="system")
_current: ContextVar[Actor] = ContextVar("kehu_actor", default=SYSTEM)


def current_actor() -> Actor:
    """The actor of the running request, job or command."""
    return _current.get()


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Run the enclosed block as `actor`."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def system_context() -> contextlib.AbstractContextManager[Actor]:
    """Run the enclosed block as the system: no record rules (jobs, migrations)."""
    return acting_as(SYSTEM)
