"""Who is acting, in which division: carried through a request or a CLI command."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf code runs; `system` bypasses record rules."""

    user_id: int | None
    division_id: int | None
    system: bool = False


SYSTEM = Actor(user_id=None, division_id=None, system=True)
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
