"""Reassignment: move one user's records to another (a rep leaves, a territory changes).

One UPDATE per model, through the ORM so the acting user's rights and record
rules apply (a manager moves only what they can see), and one executemany for
the audit trail: no statement per row, however many records move.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core import security_log
from core.access.policy import policy_of
from core.access.rules import field_of
from core.audit import record_changes
from core.context import Actor, current_actor
from core.errors import AccessDenied, ValidationError
from core.i18n import _
from core.models import User
from core.notify.events import handed_over
from core.org import ADMIN, GENERAL_MANAGER, SALES_MANAGER
from core.orm import utcnow

# Reps may change their own records but not hand them over or take a colleague's
# (#3): moving records between people is a manager's decision.
REASSIGN_ROLES = frozenset({ADMIN, SALES_MANAGER, GENERAL_MANAGER})


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def _check_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise _invalid("reason", _("This field is required."))
    if len(text) > 255:
        raise _invalid("reason", _("At most {count} characters.").format(count=255))
    return text


def _new_owner(session: Session, actor: Actor, from_user_id: int,
               to_user_id: int) -> tuple[int, int | None]:
    """The new owner's id and department, once checked: active, in a division the actor sees."""
    found = session.execute(
        sa.select(User.id, User.department_id, User.division_id, User.active)
        .where(User.id == to_user_id)
    ).first()
    reachable = found is not None and (actor.system or found.division_id in actor.division_ids)
    if found is None or not found.active or not reachable:
        raise _invalid("to_user", _("Choose an active user of your division."))
    if to_user_id == from_user_id:
        raise _invalid("to_user", _("Choose another user than the current owner."))
    return found.id, found.department_id


def _owner_column(model_cls: type) -> Any:
    owner = field_of(model_cls, "owner")
    if owner is None:
        raise TypeError(f"{model_cls.__name__} names no owner field (__owner__)")
    return owner


def _check_may_reassign(session: Session, actor: Actor, model_cls: Any) -> None:
    """A manager's role, and the right to change the model (AccessDenied otherwise;
    always for a user on a session made outside any kernel: no policy to ask)."""
    if actor.system:
        return
    policy = policy_of(session)
    if policy is not None:
        policy.check(actor, model_cls, "write")
    if policy is None or not actor.roles & REASSIGN_ROLES:
        security_log.event("access.denied", actor=actor, model=model_cls.__tablename__,
                           operation="reassign")
        raise AccessDenied(_("Only a manager or an administrator may reassign records."))


def reassign(session: Session, model_cls: Any, *, from_user_id: int, to_user_id: int,
             reason: str) -> int:
    """Give every record of `model_cls` owned by `from_user_id` to `to_user_id`.

    Runs as the current actor: it needs a manager's role and the right to change
    the model, and only the records the actor can see move (the UPDATE carries
    their record rules). With a `__department__`, records follow the new owner
    into their department. Each move is kept in the audit trail with `reason`.
    Returns how many records moved.
    """
    owner = _owner_column(model_cls)
    actor = current_actor()
    _check_may_reassign(session, actor, model_cls)
    text = _check_reason(reason)
    new_owner, new_department = _new_owner(session, actor, from_user_id, to_user_id)
    values: dict[str, Any] = {owner.key: new_owner, "write_uid": actor.user_id,
                              "write_date": utcnow(), "version": model_cls.version + 1}
    department = field_of(model_cls, "department")
    if department is not None:
        values[department.key] = new_department
    moved = session.scalars(
        sa.update(model_cls).where(owner == from_user_id).values(values)
        .returning(model_cls.id),
        execution_options={"synchronize_session": "fetch"},
    ).all()
    changes = [(res_id, owner.key, from_user_id, new_owner) for res_id in moved]
    handed_over(session, model_cls, owner.key, changes, text)  # the new owner is told (#18)
    return record_changes(session, model_cls, changes, reason=text)


def reassign_all(session: Session, *, from_user_id: int, to_user_id: int, reason: str,
                 models: Iterable[type]) -> dict[str, int]:
    """Reassign a leaving user's records of every model in `models` that has an owner.

    Models of addons not enabled for the actor's division are skipped; a model
    the actor may not change refuses the whole reassignment (AccessDenied).
    Returns {table name: records moved}.
    """
    actor = current_actor()
    policy = policy_of(session)
    counts: dict[str, int] = {}
    model_cls: Any
    for model_cls in models:
        if field_of(model_cls, "owner") is None:
            continue
        if policy is not None and not actor.system and not policy.addon_enabled(actor, model_cls):
            continue
        counts[model_cls.__tablename__] = reassign(
            session, model_cls, from_user_id=from_user_id, to_user_id=to_user_id, reason=reason)
    return counts
