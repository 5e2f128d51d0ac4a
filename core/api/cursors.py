"""Signed page cursors: a cursor only works for the list and order that made it.

`Records.page` cursors carry the last row's sort keys. The API signs them
together with the model key and the order, so a cursor edited by hand, or
reused with another `order=`, is refused as a bad parameter instead of
reaching the database as a value of the wrong type.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from core.api.errors import BadRequest
from core.i18n import _


class CursorSigner:
    """Signs and checks cursors with a secret of the installation."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("kehu.api.cursor:" + secret).encode()).digest()

    def _mac(self, scope: str, inner: str) -> str:
        digest = hmac.new(self._key, f"{scope}\n{inner}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")

    def sign(self, scope: str, inner: str | None) -> str | None:
        """The cursor handed to the client for `inner` (None stays None)."""
        if inner is None:
            return None
        return f"{inner}.{self._mac(scope, inner)}"

    def open(self, scope: str, cursor: str | None) -> str | None:
        """The `Records` cursor inside `cursor`, or BadRequest if it was not made here."""
        if not cursor:
            return None
        inner, _sep, mac = cursor.rpartition(".")
        if not inner or not hmac.compare_digest(mac.encode(), self._mac(scope, inner).encode()):
            raise BadRequest(_("The page cursor is not valid."),
                             fields={"cursor": _("The page cursor is not valid.")})
        return inner
