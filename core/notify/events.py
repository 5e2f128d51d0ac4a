"""Kernel events that raise notifications: approvals, assignments, followed changes, mentions.

Changes seen in a flush are noted on the session and turned into
notifications just before it commits (a flush cannot write more rows while it
runs), so they commit, or roll back, with the change that caused them.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.rules import field_of
from core.context import current_actor, system_context
from core.fields import model_label
from core.i18n import LazyText
from core.models import User
from core.notify import followers, kinds, notify, readers
from core.orm import Model

log = logging.getLogger(__name__)

_PENDING = "kehu_notify_pending"
_STAMPS = {"version", "write_date", "write_uid", "create_date", "create_uid"}
MENTION = re.compile(r"@([\w.\-]+)")


# ---------------------------------------------------------------- approvals


def step_pending(session: Session, task_id: int, document: Any) -> None:
    """Tell the approvers of `task_id` (which just became pending) that it waits for them."""
    from core.workflow.models import ApprovalApprover

    with system_context(), session.no_autoflush:
        approvers = set(session.scalars(sa.select(ApprovalApprover.user_id)
                                        .where(ApprovalApprover.task_id == task_id)))
    notify(session, kinds.APPROVAL_WAITING, approvers, record=document,
           dedupe_key=f"task:{task_id}")


def on_transition(session: Session, document: Any, transition: Any, actor: Any, log_row: Any) -> None:
    """A submission opens a round (its first step waits); an outcome tells the document's people."""
    from core.workflow.engine import workflow_of
    from core.workflow.models import PENDING, ApprovalRequest, ApprovalTask
    from core.workflow.rounds import owners

    workflow = workflow_of(session, document)
    if transition.approval:
        with system_context(), session.no_autoflush:
            task_id = session.scalar(
                sa.select(ApprovalTask.id).join(ApprovalRequest,
                                                ApprovalRequest.id == ApprovalTask.request_id)
                .where(ApprovalRequest.model == workflow.key,
                       ApprovalRequest.res_id == document.id,
                       ApprovalRequest.state == PENDING, ApprovalTask.state == PENDING)
                .order_by(ApprovalRequest.round.desc()).limit(1))
        if task_id is not None:
            step_pending(session, task_id, document)
        return
    if transition.name not in (workflow.approved, workflow.rejected):
        return
    with system_context(), session.no_autoflush:
        submitter = session.scalar(
            sa.select(ApprovalRequest.submitter_id)
            .where(ApprovalRequest.model == workflow.key, ApprovalRequest.res_id == document.id)
            .order_by(ApprovalRequest.round.desc()).limit(1))
    kind = kinds.APPROVED if transition.name == workflow.approved else kinds.REJECTED
    notify(session, kind, owners(document, submitter), record=document,
           params={"comment": log_row.comment or ""})


# ------------------------------------------------- what a flush changed


def _owner_key(record: Model) -> str | None:
    owner = field_of(type(record), "owner")
    return owner.key if owner is not None else None


def _changed_fields(record: Model) -> list[str]:
    mapper = sa.inspect(type(record))
    state = sa.inspect(record)
    changed = []
    for attribute in mapper.column_attrs:
        if attribute.key in _STAMPS:
            continue
        # Without loading what is not loaded (a deferred extension column may not
        # even exist in this database): an unloaded attribute did not change.
        history = state.attrs[attribute.key].history
        if history.has_changes() and (history.deleted or [None])[0] != (history.added or [None])[0]:
            changed.append(attribute.key)
    return changed


@sa.event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context: Any) -> None:
    """Remember new owners and changed records; notified before the commit."""
    pending = session.info.setdefault(_PENDING, [])
    actor_id = current_actor().user_id
    # Records the system creates (demo data, seeding) are nobody's news; a job's
    # later change of owner is.
    for record in session.new if actor_id is not None else ():
        if isinstance(record, Model):
            key = _owner_key(record)
            owner = getattr(record, key) if key else None
            if owner is not None and owner != actor_id:
                pending.append((kinds.ROUTED, type(record), record.id, owner, ()))
    for record in session.dirty:
        if not isinstance(record, Model) or not session.is_modified(record):
            continue
        fields = _changed_fields(record)
        key = _owner_key(record)
        if key in fields and getattr(record, key) is not None:
            pending.append((kinds.ASSIGNED, type(record), record.id, getattr(record, key), ()))
        if fields:
            pending.append((kinds.FOLLOWED_CHANGE, type(record), record.id, None, tuple(fields)))


@sa.event.listens_for(Session, "before_commit")
def _raise_pending(session: Session) -> None:
    """Turn what the flushes noted into notifications, in the committing transaction."""
    session.flush()
    while session.info.get(_PENDING):
        pending = session.info.pop(_PENDING)
        _assignments(session, [item for item in pending if item[0] != kinds.FOLLOWED_CHANGE])
        _followed(session, [item for item in pending if item[0] == kinds.FOLLOWED_CHANGE])
        session.flush()


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _load(session: Session, model_cls: Any, res_id: int) -> Any:
    with system_context(), session.no_autoflush:
        return session.get(model_cls, res_id)


def _assignments(session: Session, items: list[tuple[Any, ...]]) -> None:
    for kind, model_cls, res_id, owner, _fields in items:
        record = _load(session, model_cls, res_id)
        if record is not None:
            notify(session, kind, [owner], record=record)


def _followed(session: Session, items: list[tuple[Any, ...]]) -> None:
    by_model: dict[Any, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for _kind, model_cls, res_id, _owner, fields in items:
        by_model[model_cls][res_id].update(fields)
    for model_cls, records in by_model.items():
        following = followers(session, model_cls.__tablename__, records)
        for res_id, users in following.items():
            record = _load(session, model_cls, res_id)
            if record is None:
                continue
            notify(session, kinds.FOLLOWED_CHANGE, users, record=record,
                   params={"changes": _labels(model_cls, records[res_id])})


def _labels(model_cls: Any, fields: set[str]) -> str:
    table = model_cls.__table__
    names = []
    for key in sorted(fields):
        label = table.c[key].info.get("label") if key in table.c else None
        names.append(label.message if isinstance(label, LazyText) else str(label or key))
    return ", ".join(names)


# --------------------------------------------------------------- hand-over


def handed_over(session: Session, model_cls: Any, owner_key: str,
                changes: list[tuple[int, str, Any, Any]], reason: str | None) -> None:
    """Records moved to a new owner in bulk (reassignment): one notice per new owner and model."""
    moved: dict[int, list[int]] = defaultdict(list)
    for res_id, field, _old, new in changes:
        if field == owner_key and new is not None:
            moved[int(new)].append(res_id)
    for owner, ids in moved.items():
        notify(session, kinds.HANDED_OVER, [owner], division_id=current_actor().division_id,
               params={"count": len(ids), "comment": reason or "", "model_key":
                       model_cls.__tablename__})


# ---------------------------------------------------------------- mentions


def mentioned_users(session: Session, body: str, division_id: int | None) -> set[int]:
    """Ids of the active users named `@login` or `@name` in `body`."""
    names = {match.rstrip(".") for match in MENTION.findall(body or "")}
    if not names:
        return set()
    with system_context(), session.no_autoflush:
        statement = sa.select(User.id).where(
            User.active.is_(True), sa.or_(User.login.in_(names), User.name.in_(names)))
        return set(session.scalars(statement))


def note_added(session: Session, record: Any, body: str) -> None:
    """@mentions in a new note tell those people; followers hear of the note too."""
    excerpt = body if len(body) <= 140 else body[:139] + "…"
    mentioned = mentioned_users(session, body, getattr(record, "division_id", None))
    notify(session, kinds.MENTION, mentioned, record=record, params={"comment": excerpt})
    following = followers(session, record.__tablename__, [record.id]).get(record.id, set())
    notify(session, kinds.FOLLOWED_NOTE, following - mentioned, record=record,
           params={"comment": excerpt})


def label_of(model_key: str | None) -> str:
    """The label of the model whose table is `model_key`, in the current language."""
    if not model_key:
        return ""
    from core.audit import _model_of

    model_cls = _model_of(model_key)
    return model_label(model_cls) if model_cls is not None else model_key


__all__ = ["handed_over", "label_of", "note_added", "on_transition", "readers", "step_pending"]
