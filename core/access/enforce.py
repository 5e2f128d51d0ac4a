"""Enforcement below the web layer: every ORM statement and every flush.

- `do_orm_execute`: a SELECT, UPDATE or DELETE naming a model needs the right
  for it, and gets the actor's record rules as loader criteria, so lists,
  counts, sums, group-bys, relationship loads and bulk updates are filtered.
- `before_flush`: creating, changing or deleting objects needs the right; a
  change or delete of a row the actor cannot see fails as not found.
- `after_flush`: a new or changed row must be one the actor can see afterwards
  (rules are checked on the new values, as Odoo does), unless a holder of the
  hand-over right gave it to somebody else (#13).
- Giving a record to another owner (create or write) is a hand-over: managers and
  administrators only, or a workflow transition that requires the owner field
  (a ticket assigned by service staff), never a plain edit by a rep (#13).

Only the explicit system context (`core.context.system_context`) bypasses it. The
policy is the one of the kernel the session belongs to (`session.info`, #21); a
user's statement on a session made outside any kernel is refused.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, with_loader_criteria

from core.access.policy import Policy, policy_of
from core.access.rules import field_of
from core.context import Actor, current_actor, system_context
from core.errors import AccessDenied, NotFound, ValidationError
from core.i18n import _
from core.orm import Model


def _primary(state: ORMExecuteState) -> type | None:
    mapper = state.bind_mapper
    return mapper.class_ if mapper is not None else None


@sa.event.listens_for(Session, "do_orm_execute")
def _filter_statement(state: ORMExecuteState) -> None:
    actor = current_actor()
    if actor.system or state.is_column_load:
        return
    policy = _policy(state.session)
    operation = (
        "read" if state.is_select else "write" if state.is_update
        else "delete" if state.is_delete else "create"
    )
    primary = _primary(state) if operation != "read" else None
    models = policy.models_in(state.statement)
    for model in models:
        policy.check(actor, model, operation if model is primary else "read")
    if operation == "create" and primary is not None:
        _check_inserted_divisions(actor, primary, state.parameters)
    options = []
    for model in models:
        condition = criteria(state.session, policy, actor, model)
        if condition is not None:
            options.append(with_loader_criteria(model, condition, include_aliases=True))
    if options:
        state.statement = state.statement.options(*options)


def _policy(session: Session) -> Policy:
    """The policy a user's statement on `session` obeys: its kernel's."""
    policy = policy_of(session)
    if policy is None:
        raise RuntimeError("a session made outside a kernel (kernel.session()) cannot be "
                           "used as a user: nothing would enforce their rights")
    return policy


def criteria(session: Session, policy: Policy, actor: Actor, model: type) -> Any:
    """The rows `actor` may touch: the policy's record rules, and the documents with an
    open approval step the actor may decide (core.workflow.rounds.approver_scope, #13)."""
    condition = policy.criteria(actor, model)
    if condition is None:
        return None
    from core.workflow.registry import workflows_of  # the workflow imports this layer
    from core.workflow.rounds import approver_scope

    asked = approver_scope(workflows_of(session).for_model(model), actor)
    if asked is None:
        return condition
    return sa.or_(condition, sa.and_(model.division_id.in_(sorted(actor.division_ids)), asked))  # type: ignore[attr-defined]


def _check_inserted_divisions(actor: Actor, model: type, parameters: Any) -> None:
    if not issubclass(model, Model):
        return
    rows = parameters if isinstance(parameters, list) else [parameters or {}]
    for row in rows:
        if row.get("division_id") not in actor.division_ids:
            raise AccessDenied(_("You may only create records in your own division."))


def _by_model(objects: Any) -> dict[type, list[Any]]:
    grouped: dict[type, list[Any]] = defaultdict(list)
    for obj in objects:
        grouped[type(obj)].append(obj)
    return grouped


def _visible_ids(session: Session, model: type, ids: list[int]) -> set[int]:
    with session.no_autoflush:
        return set(session.scalars(sa.select(model.id).where(model.id.in_(ids))))  # type: ignore[attr-defined]


@sa.event.listens_for(Session, "before_flush")
def _check_flush(session: Session, _context: Any, _instances: Any) -> None:
    actor = current_actor()
    if actor.system:
        return
    policy = _policy(session)
    for model, objects in _by_model(session.new).items():
        policy.check(actor, model, "create")
        if issubclass(model, Model):
            _prepare_new(actor, model, objects)
            _refuse_hidden_ids(session, model, objects)
            _check_owners(session, actor, model, objects)
    for operation, pending in (("write", session.dirty), ("delete", session.deleted)):
        changed = [o for o in pending if operation == "delete" or session.is_modified(o)]
        for model, objects in _by_model(changed).items():
            policy.check(actor, model, operation)
            _require_visible(session, policy, actor, model, objects)
            if operation == "write" and issubclass(model, Model):
                _check_owners(session, actor, model, objects)


def may_hand_over(actor: Actor) -> bool:
    """Whether `actor` holds the hand-over right: give records to other owners (#13)."""
    from core.reassign import REASSIGN_ROLES  # reassign imports the access layer

    return actor.system or actor.is_admin or bool(actor.roles & REASSIGN_ROLES)


def _owner_change(record: Any, key: str) -> tuple[Any, Any] | None:
    """(old owner, new owner) when this flush changes `record`'s owner, else None."""
    history = sa.inspect(record).attrs[key].history
    if not history.added:
        return None
    return (history.deleted[0] if history.deleted else None), history.added[0]


def _gives_away(actor: Actor, record: Any, key: str) -> bool:
    change = _owner_change(record, key)
    if change is None:
        return False
    return may_hand_over(actor) or (change[0] == actor.user_id and change[1] is None)


def _check_owners(session: Session, actor: Actor, model: type, objects: list[Any]) -> None:
    """Without the hand-over right, a record is created and kept as one's own (or nobody's)."""
    owner = field_of(model, "owner")
    if owner is None or may_hand_over(actor):
        return
    from core.workflow.locks import FIRING  # the workflow imports the access layer

    if session.info.get("kehu_declared_action"):  # core.actions.DECLARED_ACTION
        return
    firing: dict[tuple[type, Any], set[str]] = session.info.get(FIRING, {})
    mine = {actor.user_id, None}
    for record in objects:
        change = _owner_change(record, owner.key)
        if change is None or owner.key in firing.get((model, record.id), set()):
            continue
        old, new = change
        if new not in mine or (record.id is not None and old not in mine
                               and sa.inspect(record).persistent):
            message = _("Only a manager may give a record to another user or take it from "
                        "them: ask for a hand-over.")
            raise ValidationError(message, fields={owner.key: message})


def _prepare_new(actor: Actor, model: type, objects: list[Any]) -> None:
    owner = field_of(model, "owner")
    for obj in objects:
        if obj.division_id is None:
            obj.division_id = actor.division_id
        if obj.division_id not in actor.division_ids:
            raise AccessDenied(_("You may only create records in your own division."))
        if owner is not None and getattr(obj, owner.key) is None:
            setattr(obj, owner.key, actor.user_id)


def _id_column(model: type) -> sa.ColumnElement[Any]:
    """The id of `model`'s table: every mapped record has a one-column primary key."""
    mapper: Mapper[Any] = sa.inspect(model)
    return mapper.primary_key[0]


def _refuse_hidden_ids(session: Session, model: type, objects: list[Any]) -> None:
    """A "new" object with the id of an existing row is a write to a hidden row
    (session.merge of a record the actor cannot load): refuse it as not found."""
    ids = [obj.id for obj in objects if obj.id is not None]
    if not ids:
        return
    with system_context(), session.no_autoflush:
        taken = session.scalar(sa.select(sa.func.count()).where(_id_column(model).in_(ids)))
    if taken:
        raise NotFound(_("The record does not exist or you may not see it."))


def _require_visible(session: Session, policy: Policy, actor: Actor, model: type,
                     objects: list[Any]) -> None:
    if policy.criteria(actor, model) is None:
        return
    ids = [obj.id for obj in objects if obj.id is not None]
    if ids and _visible_ids(session, model, ids) != set(ids):
        raise NotFound(_("The record does not exist or you may not see it."))


def _hidden_but_there(session: Session, model: type, ids: list[int]) -> bool:
    """Whether a row among `ids` still exists but the actor's rules hide it now. A row
    the flush deleted (a line left out of a document's new lines, deleted by one
    statement, not through the session) is gone, not hidden."""
    missing = set(ids) - _visible_ids(session, model, ids)
    if not missing:
        return False
    with system_context(), session.no_autoflush:
        return bool(session.scalar(sa.select(sa.func.count()).where(
            _id_column(model).in_(sorted(missing)))))


@sa.event.listens_for(Session, "after_flush")
def _check_created(session: Session, _context: Any) -> None:
    actor = current_actor()
    if actor.system:
        return
    policy = _policy(session)
    for model, objects in _by_model(session.new).items():
        if issubclass(model, Model) and policy.criteria(actor, model) is not None:
            ids = [obj.id for obj in objects]
            if _visible_ids(session, model, ids) != set(ids):
                raise AccessDenied(
                    _("You may not create a record that your own access rules would hide from you.")
                )
    # A line removed from its document (delete-orphan) is dirty before the flush and
    # gone after it: what the flush deleted is not a change that hides a record.
    changed = [o for o in session.dirty if isinstance(o, Model) and session.is_modified(o)
               and not sa.inspect(o).was_deleted]
    for model, objects in _by_model(changed).items():
        if policy.criteria(actor, model) is None:
            continue
        owner = field_of(model, "owner")
        if owner is not None:
            # A hand-over may give a record to somebody the manager does not oversee,
            # and an owner may put their own record back into the pool (nobody's).
            objects = [obj for obj in objects if not _gives_away(actor, obj, owner.key)]
        ids = [obj.id for obj in objects]
        if ids and _hidden_but_there(session, model, ids):
            raise AccessDenied(
                _("You may not change a record so that your own access rules would hide it "
                  "from you.")
            )
