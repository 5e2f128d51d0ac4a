"""Notifications (#18): who is told what, in the app, by e-mail and by a division's webhook.

`notify()` is the one way to raise a notification. It runs inside the
transaction that caused it and only writes rows: the notification for the bell
and, where wanted, an outbox row per e-mail or webhook. The `notify.deliver`
job sends the outbox later and retries on failure, so a dead SMTP server or
webhook receiver never slows or breaks the request that raised it.

Nobody is told about a record they may not read: each recipient's rights and
record rules are checked by reading the record as them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import acting_as, current_actor, system_context
from core.errors import KehuError
from core.fields import display_name_column
from core.models import User
from core.notify.kinds import TEXTS
from core.notify.models import (
    Delivery,
    DivisionWebhook,
    Follower,
    MailServer,
    Notification,
    NotifyPreference,
)

log = logging.getLogger(__name__)

__all__ = ["Follower", "Notification", "notify", "readers", "record_name"]


def record_name(record: Any) -> str:
    """The name a record is shown by (its display column, else its id)."""
    column = display_name_column(type(record))
    value = getattr(record, column.key, None) if column is not None else None
    return str(value) if value not in (None, "") else f"#{record.id}"


def readers(session: Session, model_cls: Any, res_id: int, user_ids: Iterable[int]) -> set[int]:
    """The users among `user_ids` who may read the record (rights and record rules)."""
    from core.org import actor_for

    found: set[int] = set()
    with session.no_autoflush:
        with system_context():
            users = list(session.scalars(sa.select(User).where(
                User.id.in_(sorted(set(user_ids))), User.active.is_(True))))
            actors = [actor_for(session, user) for user in users]
        for actor in actors:
            try:
                with acting_as(actor):
                    visible = session.scalar(sa.select(model_cls.id).where(model_cls.id == res_id))
            except KehuError:  # no read right on the model, or its addon is off
                visible = None
            if visible is not None:
                found.add(actor.user_id)  # type: ignore[arg-type]
    return found


def notify(session: Session, kind: str, users: Iterable[int | None], *, record: Any = None,
           params: dict[str, Any] | None = None, dedupe_key: str | None = None,
           include_actor: bool = False, division_id: int | None = None) -> list[Notification]:
    """Tell `users` about `kind` (see core.notify.kinds) on `record`; return the rows written.

    The acting user is left out unless `include_actor` (nobody is told what
    they did themself), and so is every user who may not read `record`. Rows
    are added to `session` and flushed: they commit or roll back with the cause.
    """
    assert kind in TEXTS, kind
    session.flush()  # the cause's own errors are the cause's: raised here, not swallowed
    try:
        with session.begin_nested():  # a failing notice rolls back alone (#18)
            return _notify(session, kind, users, record=record, params=params,
                           dedupe_key=dedupe_key, include_actor=include_actor,
                           division_id=division_id)
    except Exception:
        log.exception("notification %s could not be raised", kind)
        return []


def _notify(session: Session, kind: str, users: Iterable[int | None], *, record: Any,
            params: dict[str, Any] | None, dedupe_key: str | None, include_actor: bool,
            division_id: int | None) -> list[Notification]:
    actor = current_actor()
    wanted = {user for user in users if user is not None}
    if not include_actor:
        wanted.discard(actor.user_id)
    if dedupe_key and wanted:
        with system_context(), session.no_autoflush:
            wanted -= set(session.scalars(sa.select(Notification.user_id).where(
                Notification.dedupe_key == dedupe_key, Notification.user_id.in_(sorted(wanted)))))
    if record is not None and wanted:
        wanted = readers(session, type(record), record.id, wanted)
    if not wanted:
        return []
    values = {"actor": actor.name, **(params or {})}
    if record is not None:
        values.setdefault("record", record_name(record))
        division_id = division_id or getattr(record, "division_id", None)
    division_id = division_id or actor.division_id
    rows = [Notification(user_id=user, kind=kind, params=values, actor_id=actor.user_id,
                         model=record.__tablename__ if record is not None else None,
                         res_id=record.id if record is not None else None,
                         division_id=division_id, dedupe_key=dedupe_key)
            for user in sorted(wanted)]
    with system_context():
        session.add_all(rows)
        session.flush()
        _queue_deliveries(session, rows, division_id)
    return rows


def _queue_deliveries(session: Session, rows: list[Notification], division_id: int | None) -> None:
    """Outbox rows: an e-mail to each recipient who wants one, and the division's webhook."""
    deliveries: list[dict[str, Any]] = []
    with session.no_autoflush:
        has_server = session.scalar(sa.select(MailServer.id).where(MailServer.active.is_(True))
                                    .limit(1)) is not None
        if has_server:
            addresses = _email_addresses(session, rows)
            deliveries += [{"notification_id": row.id, "channel": "email",
                            "target": addresses[row.user_id]}
                           for row in rows if addresses.get(row.user_id)]
        if division_id is not None:
            url = session.scalar(sa.select(DivisionWebhook.url).where(
                DivisionWebhook.division_id == division_id, DivisionWebhook.active.is_(True)))
            if url:
                deliveries += [{"notification_id": row.id, "channel": "webhook", "target": url}
                               for row in rows]
    if deliveries:
        session.execute(sa.insert(Delivery), deliveries)


def _email_addresses(session: Session, rows: list[Notification]) -> dict[int, str]:
    """user id → address, for the recipients of `rows` who want this kind by e-mail."""
    wanted = session.execute(
        sa.select(User.id, User.email, NotifyPreference)
        .join(NotifyPreference, NotifyPreference.user_id == User.id)
        .where(User.id.in_([row.user_id for row in rows]),
               NotifyPreference.email.is_(True), User.email.is_not(None))).all()
    kinds_of = {row.user_id: row.kind for row in rows}
    return {user_id: email for user_id, email, preference in wanted
            if email and preference.emails(kinds_of[user_id])}


def follow(session: Session, record: Any, user_id: int) -> bool:
    """Make `user_id` follow `record` (which they must be able to read); False if already."""
    if user_id not in readers(session, type(record), record.id, [user_id]):
        from core.errors import NotFound
        from core.i18n import _

        raise NotFound(_("The record does not exist or you may not see it."))
    with system_context(), session.no_autoflush:
        exists = session.scalar(sa.select(Follower.id).where(
            Follower.model == record.__tablename__, Follower.res_id == record.id,
            Follower.user_id == user_id))
        if exists is not None:
            return False
        session.add(Follower(model=record.__tablename__, res_id=record.id, user_id=user_id))
        session.flush()
    return True


def unfollow(session: Session, record: Any, user_id: int) -> bool:
    """Stop following; False when `user_id` did not follow `record`."""
    with system_context():
        result = session.execute(sa.delete(Follower).where(
            Follower.model == record.__tablename__, Follower.res_id == record.id,
            Follower.user_id == user_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def followers(session: Session, model: str, res_ids: Iterable[int]) -> dict[int, set[int]]:
    """res_id → ids of the users following it (one query)."""
    wanted = sorted(set(res_ids))
    if not wanted:
        return {}
    found: dict[int, set[int]] = {}
    with system_context(), session.no_autoflush:
        for res_id, user_id in session.execute(sa.select(Follower.res_id, Follower.user_id).where(
                Follower.model == model, Follower.res_id.in_(wanted))):
            found.setdefault(res_id, set()).add(user_id)
    return found


def is_following(session: Session, record: Any, user_id: int | None) -> bool:
    with system_context(), session.no_autoflush:
        return session.scalar(sa.select(Follower.id).where(
            Follower.model == record.__tablename__, Follower.res_id == record.id,
            Follower.user_id == user_id)) is not None

