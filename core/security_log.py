"""The security log: one JSON line per security event, never a secret.

Events: login success and failure, lockout, CSRF failure, access denial,
approval decision, import and export. Each line says who, what, when (UTC)
and from where. Written to <log_dir>/security.log and the `kehu.security`
logger.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from core.context import Actor, current_actor
from core.orm import utcnow

log = logging.getLogger("kehu.security")
_FORBIDDEN_KEYS = {"password", "token", "cookie", "secret", "csrf_token", "authorization"}


def configure(log_dir: Path) -> None:
    """Send security events to `log_dir`/security.log (once per process)."""
    path = log_dir / "security.log"
    if any(getattr(h, "baseFilename", None) == str(path) for h in log.handlers):
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def event(kind: str, *, actor: Actor | None = None, client: str | None = None, **details: Any) -> None:
    """Record one security event of `kind` (e.g. "login.failure")."""
    who = actor or current_actor()
    for key in list(details):
        if key.lower() in _FORBIDDEN_KEYS:
            raise ValueError(f"security log refuses to record '{key}'")
    line = {
        "time": utcnow().isoformat(timespec="seconds") + "Z",
        "event": kind,
        "user_id": who.user_id,
        "login": who.login or None,
        "client": client,
        **details,
    }
    log.info(json.dumps(line, ensure_ascii=False, default=str))
