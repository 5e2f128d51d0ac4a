"""Which kernel a piece of work runs under: the one its session or its request carries.

The kernel's services (the access policy, the workflows, the addon registry, the
import checks, the running imports) live on the `core.kernel.Kernel` instance, not
in module globals: one process may boot several kernels (the tests boot many, with
different addons), and each session must obey its own (#21).

- A session made by `kernel.session()` / `kernel.sessions` carries its kernel in
  `session.info[KERNEL_KEY]`;
- a web request reaches it as `request.app.state.kernel`.

`kernel_of(x)` finds it from either (or from a record, through its session).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import UnmappedInstanceError
from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from core.kernel import Kernel

# session.info key: the kernel whose sessionmaker made the session.
KERNEL_KEY = "kehu_kernel"


def kernel_of(source: Any) -> Kernel | None:
    """The kernel of a session, of a request (its app's), or of a record (its
    session's); None for a session made outside any kernel or a detached record."""
    if isinstance(source, Session):
        kernel: Kernel | None = source.info.get(KERNEL_KEY)
        return kernel
    if isinstance(source, HTTPConnection):
        found: Kernel | None = getattr(source.app.state, "kernel", None)
        return found
    try:
        session = object_session(source)
    except UnmappedInstanceError:
        return None
    return kernel_of(session) if session is not None else None
