"""Record actions (`core.views.RecordAction`): checked and run below the web layer.

The form's buttons, the list's bulk actions and `POST /api/v1/<model>/<id>/actions/<key>`
all come here, so the rights, roles, visibility and parameters of an action are
checked in one place, inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.policy import Policy, policy_of
from core.context import Actor, current_actor
from core.errors import AccessDenied, NotFound, ValidationError
from core.i18n import _
from core.records import Records
from core.security_log import event
from core.views import Param, RecordAction


def allowed(policy: Policy | None, action: RecordAction, actor: Actor,
            record: Any | None = None) -> bool:
    """Whether `actor` may run `action` under the kernel's `policy` (on `record`, when
    given: its `visible` rule)."""
    if policy is not None and not policy.allowed(actor, action.model, action.right):
        return False
    if action.roles and not (actor.system or actor.is_admin or set(action.roles) & actor.roles):
        return False
    return record is None or action.visible is None or bool(action.visible(record))


def offered(records: Records, actor: Actor, record: Any, *,
            policy: Policy | None) -> list[RecordAction]:
    """The actions to show as buttons on `record`'s form (`policy`: the kernel's)."""
    return [action for action in records.views.actions
            if allowed(policy, action, actor, record)]


def bulk_offered(records: Records, actor: Actor, *, policy: Policy | None) -> list[RecordAction]:
    """The actions offered on the list's ticked rows (`policy`: the kernel's)."""
    return [action for action in records.views.actions
            if action.bulk and allowed(policy, action, actor)]


def run(session: Session, records: Records, record_id: int, key: str,
        raw: dict[str, Any]) -> tuple[Any | None, str | None]:
    """Run the action `key` on the record; return (the record, or None when the action
    removed it, and the handler's message). Raises NotFound, AccessDenied,
    ValidationError; writes nothing itself beyond what the handler does."""
    action = records.views.action(key)
    if action is None:
        raise NotFound(_("This action does not exist."))
    actor = current_actor()
    policy = policy_of(session)
    if policy is not None:
        policy.check(actor, action.model, action.right)
    if not allowed(policy, action, actor):
        event("access.denied", actor=actor, model=action.model.__tablename__,  # type: ignore[attr-defined]
              operation=f"action:{key}")
        raise AccessDenied(_("Your roles do not allow this action."))
    record = records.get(session, record_id)
    if action.visible is not None and not action.visible(record):
        raise ValidationError(_("This action is not available for this record now."))
    values = convert(session, action.params, raw)
    # A declared, role-gated action may give records to their owners (accruals per
    # rep, a pool assignment): not a plain edit, so no hand-over refusal (#13).
    session.info[DECLARED_ACTION] = True
    try:
        message = action.handler(session, record, actor, values)
        session.flush()
    finally:
        session.info.pop(DECLARED_ACTION, None)
    gone = sa.inspect(record).deleted or sa.inspect(record).detached
    return (None if gone else record), message


DECLARED_ACTION = "kehu_declared_action"


def convert(session: Session, params: Any, raw: dict[str, Any]) -> dict[str, Any]:
    """Check and convert the parameters of an action; every bad one is named."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for param in params:
        try:
            values[param.name] = _value(session, param, raw.get(param.name))
        except ValueError as error:
            errors[param.name] = str(error)
    if errors:
        raise ValidationError(_("Some values are missing or not valid."), fields=errors)
    return values


def _value(session: Session, param: Param, value: Any) -> Any:
    if param.kind == "bool":
        return value in (True, "1", "true", "on", "yes", 1)
    if value is None or (isinstance(value, str) and not value.strip()):
        if param.required:
            raise ValueError(_("This field is required."))
        return None
    text = str(value).strip()
    if param.kind in ("text", "longtext"):
        limit = 255 if param.kind == "text" else 10_000
        if len(text) > limit:
            raise ValueError(_("At most {count} characters.").format(count=limit))
        return text
    if param.kind == "int":
        if isinstance(value, bool) or not text.lstrip("-").isdigit():
            raise ValueError(_("Enter a whole number."))
        return int(text)
    if param.kind == "decimal":
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
    if param.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if param.kind == "choice":
        if text not in {str(key) for key, _label in param.choices}:
            raise ValueError(_("Choose one of the offered values."))
        return text
    if param.kind == "ref" and param.target is not None:
        if isinstance(value, bool) or not text.isdigit():
            raise ValueError(_("Choose a record."))
        # Read through the record rules: an id the actor may not see is not found.
        if session.get(param.target, int(text)) is None:
            raise ValueError(_("The record does not exist or you may not see it."))
        return int(text)
    raise ValueError(_("This value is not valid."))
