"""A request whose SQLite write transaction found the database locked runs again (#13).

SQLite has one writer at a time. A writer waits `busy_timeout` for the lock and
is then refused ("database is locked"), e.g. behind a long import; a transaction
that read in an open snapshot and writes after another writer committed is
refused at once. Such a request is run again from the start, a bounded number of times with a
short growing pause, and only then answered 503 with Retry-After. It is run
again only when nothing was written: no transaction of the request that wrote
had committed (core.db.WriteTracker), no answer had started, and its body was
small enough to keep; and no retry starts after BUDGET seconds (each try may wait
the busy timeout). PostgreSQL waits on row locks instead: nothing to retry.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.db import WriteTracker, is_locked, tracking_writes
from core.web.security import SpooledBody

RETRIES = 3
PAUSE = 0.05  # seconds before the first retry; doubled each time, with jitter
MAX_BODY = 2 * 1024 * 1024  # larger bodies (imports, uploads) are not kept for a retry
BUDGET = 15.0  # seconds: no retry starts later than this after the request came in


class BusyRetryMiddleware:
    """Run a request again when SQLite refused its only write transaction as locked."""

    def __init__(self, app: ASGIApp, *, enabled: bool = True) -> None:
        self.app, self.enabled = app, enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.enabled or not _small(scope):
            await self.app(scope, receive, send)
            return
        body = await SpooledBody.read(receive)
        started = time.monotonic()
        try:
            for attempt in range(RETRIES + 1):
                last = attempt == RETRIES or time.monotonic() - started > BUDGET
                if await self._attempt(scope, body, send, last=last):
                    return
                await asyncio.sleep(PAUSE * 2 ** attempt * (1 + random.random()))
        finally:
            body.close()

    async def _attempt(self, scope: Scope, body: SpooledBody, send: Send, *, last: bool) -> bool:
        """Run the app once; False when it should run again (nothing was sent)."""
        held: list[Message] = []
        state = {"passing": False}

        async def hold(message: Message) -> None:
            if state["passing"]:
                await send(message)
                return
            if message["type"] == "http.response.start" and message["status"] != 503:
                state["passing"] = True
                await send(message)
                return
            held.append(message)

        with tracking_writes() as tracker:
            try:
                await self.app(scope, body.replay(), hold)
            except Exception as exc:
                if last or state["passing"] or held or not is_locked(exc) or tracker.committed:
                    raise
                return False
        if not last and not state["passing"] and _again(tracker):
            return False
        for message in held:
            await send(message)
        return True


def _again(tracker: WriteTracker) -> bool:
    return tracker.locked and not tracker.committed


def _small(scope: Scope) -> bool:
    headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
    length: Any = headers.get(b"content-length")
    if length is None:
        return scope.get("method", "GET") in ("GET", "HEAD", "DELETE", "OPTIONS")
    try:
        return int(length) <= MAX_BODY
    except ValueError:
        return False
