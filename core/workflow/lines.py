"""Lines of a document: locked with it, and the document recomputed on every change (#13).

A model is "the lines of a document" when a form declares it with `Lines(Parent.lines,
...)`. Whatever path changes a line (its own API endpoint, the parent's form, an
import, plain ORM code), before the flush:

- a line of a document in a locked state cannot be created, changed, deleted or
  moved to another document (only the explicit system context may, for data fixes);
- every document whose lines changed is locked against concurrent line writes
  (SELECT ... FOR UPDATE on PostgreSQL), its lines reloaded, and `compute()` run, in
  the same transaction, so the total always equals the sum of its lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.policy import model_label
from core.context import current_actor, system_context
from core.errors import NotFound, ValidationError
from core.i18n import _
from core.workflow.declarations import Workflow


@dataclass(frozen=True)
class LineLink:
    """How a child model hangs under its document."""

    parent: type
    child: type
    collection: str  # the parent's relationship attribute: "lines"
    back: str | None  # the child's many-to-one attribute: "claim" (None if not declared)
    key: str  # the child's foreign key attribute: "claim_id"
    orphans: bool  # whether the collection deletes lines taken out of it


def link_of(relationship: Any) -> LineLink:
    """The LineLink of a one-to-many relationship attribute such as `Claim.lines`."""
    prop = relationship.property
    child_mapper = prop.mapper
    [(_local, remote)] = prop.local_remote_pairs
    key = child_mapper.get_property_by_column(remote).key
    back = prop.back_populates or (prop.backref if isinstance(prop.backref, str) else None)
    return LineLink(parent=prop.parent.class_, child=child_mapper.class_, collection=prop.key,
                    back=back, key=key, orphans=prop.cascade.delete_orphan)


def collect_links(views: Mapping[type, Any]) -> dict[type, list[LineLink]]:
    """Child model → the links that make it the lines of a document, from the forms."""
    links: dict[type, list[LineLink]] = {}
    for entry in views.values():
        form = getattr(entry, "form", None)
        for lines in (form.lines if form is not None else ()):
            link = link_of(lines.relationship)
            if link not in links.get(link.child, []):
                links.setdefault(link.child, []).append(link)
    return links


def _history_ids(record: Any, key: str) -> tuple[Any, Any]:
    """(value before this flush, value now) of the foreign key `key`."""
    history = sa.inspect(record).attrs[key].history
    now = getattr(record, key)
    old = history.deleted[0] if history.deleted else (None if history.added else now)
    return old, now


def _parents_of(session: Session, link: LineLink) -> tuple[set[Any], dict[Any, list[Any]], list[Any]]:
    """(ids of the stored documents touched, new or moved lines by document id, deleted lines).

    Lines of a document created in the same flush are left to that document's save."""
    touched: set[Any] = set()
    arriving: dict[Any, list[Any]] = {}
    deleted: list[Any] = []
    for record in session.new:
        if type(record) is link.child:
            parent = getattr(record, link.back) if link.back else None
            parent_id = parent.id if parent is not None else getattr(record, link.key)
            if parent_id is not None:
                touched.add(parent_id)
                arriving.setdefault(parent_id, []).append(record)
    for record in session.dirty:
        if type(record) is link.child and session.is_modified(record):
            old, now = _history_ids(record, link.key)
            if old == now and link.back:  # moved through the relationship, not the key
                added = sa.inspect(record).attrs[link.back].history.added
                if added and added[0] is not None and added[0].id is not None:
                    now = added[0].id
            touched.update(value for value in (old, now) if value is not None)
            if now is not None and now != old:
                arriving.setdefault(now, []).append(record)
    for record in session.deleted:
        if type(record) is link.child:
            old, _now = _history_ids(record, link.key)
            if old is not None:
                touched.add(old)
                deleted.append(record)
    return touched, arriving, deleted


def _locked_document(session: Session, link: LineLink, parent_id: Any) -> Any:
    """The document, locked against concurrent line writes; NotFound when hidden.

    A document with no pending change of its own is reloaded with its lines, so a
    line another transaction committed meanwhile is counted.
    """
    parent = session.identity_map.get(sa.inspect(link.parent).identity_key_from_primary_key([parent_id]))
    pending = parent is not None and (parent in session.new or session.is_modified(parent))
    statement: sa.Select[Any] = (
        sa.select(link.parent).where(link.parent.id == parent_id).with_for_update())  # type: ignore[attr-defined]
    if not pending:
        statement = statement.execution_options(populate_existing=True)
    found = session.scalars(statement).first()
    if found is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    if not pending:
        session.expire(found, [link.collection])
    return found


def _committed_state(parent: Any, workflow: Workflow) -> str | None:
    history = sa.inspect(parent).attrs[workflow.state_key].history
    value = history.deleted[0] if history.deleted else getattr(parent, workflow.state_key)
    return None if value is None else str(value)


def _locked_message(workflow: Workflow, state: str | None) -> str:
    found = workflow.state(state) if state else None
    label = str(found.label) if found else str(state)
    return _("This {model} is {state}: its lines cannot be added, changed or deleted.").format(
        model=model_label(workflow.model), state=label)


def _refuse_locked(workflow: Workflow, state: str | None) -> None:
    raise ValidationError(_locked_message(workflow, state))


def _attach(parent: Any, link: LineLink, line: Any) -> None:
    """Put a new or moved line under `parent` (the backref moves it between collections)."""
    if link.back is not None:
        if getattr(line, link.back) is not parent:
            setattr(line, link.back, parent)
        return
    collection = getattr(parent, link.collection)
    if line not in collection:
        collection.append(line)


def _detach(parent: Any, link: LineLink, leaving: set[int]) -> None:
    """Take the leaving lines (by object id) out of the document's loaded collection."""
    collection = getattr(parent, link.collection)
    for line in [line for line in collection if id(line) in leaving]:
        collection.remove(line)


def check_and_compute(session: Session, links: Mapping[type, list[LineLink]],
                      workflows: Mapping[type, Workflow]) -> None:
    """Refuse line changes under locked documents; recompute every touched document."""
    system = current_actor().system
    for child_links in links.values():
        for link in child_links:
            touched, arriving, deleted = _parents_of(session, link)
            if not touched:
                continue
            workflow = workflows.get(link.parent)
            parents = {}
            for parent_id in sorted(touched, key=str):
                parent = _locked_document(session, link, parent_id)
                if workflow is not None and not system and parent not in session.deleted:
                    state = _committed_state(parent, workflow)
                    if workflow.locked(state):
                        _refuse_locked(workflow, state)
                parents[parent_id] = parent
            # Out of every collection first, then into the new one: taken out last, a
            # moved line would count as an orphan and be deleted.
            gone = {id(line) for line in deleted}
            for parent_id, parent in parents.items():
                _detach(parent, link, gone | {id(line) for target, lines in arriving.items()
                                              if target != parent_id for line in lines})
            for parent_id, lines in arriving.items():
                for line in lines:
                    _attach(parents[parent_id], link, line)
            for parent in parents.values():
                if parent in session.deleted:
                    continue
                compute = getattr(parent, "compute", None)
                if callable(compute):
                    with system_context():  # every line counts, seen or not
                        compute()


def _documents(session: Session, link: LineLink, ids: Iterable[Any]) -> list[Any]:
    """The documents `ids`, reloaded and locked against concurrent line writes (and
    against a submit racing the import: it waits for the import's transaction)."""
    wanted = sorted({value for value in ids if value is not None}, key=str)
    if not wanted:
        return []
    key = link.parent.id  # type: ignore[attr-defined]
    with system_context(), session.no_autoflush:
        return list(session.scalars(
            sa.select(link.parent).where(key.in_(wanted)).order_by(key).with_for_update()
            .execution_options(populate_existing=True)))


def locked_documents(session: Session, link: LineLink, ids: Iterable[Any]) -> dict[Any, str]:
    """Of the documents `ids`, those in a locked state, each with the message that
    refuses lines under it: bulk import writes lines without a flush (#13)."""
    from core.workflow.registry import workflows_of

    workflow = workflows_of(session).by_model.get(link.parent)
    if workflow is None or current_actor().system:
        return {}
    refused = {}
    for document in _documents(session, link, ids):
        state = getattr(document, workflow.state_key)
        if workflow.locked(None if state is None else str(state)):
            refused[document.id] = _locked_message(workflow, None if state is None else str(state))
    return refused


def recompute_documents(session: Session, link: LineLink, ids: Iterable[Any]) -> None:
    """Run `compute()` of the documents `ids` over their stored lines (lines inserted
    without a flush, as bulk import does), in the caller's transaction."""
    documents = _documents(session, link, ids)
    for document in documents:
        session.expire(document, [link.collection])
        compute = getattr(document, "compute", None)
        if callable(compute):
            with system_context():  # every line counts, seen or not
                compute()
    if documents:
        session.flush()


# First of the before_flush listeners (insert=True): the stamps, the access checks, the
# addons' kehu_prepare_records and the lock checks then see the recomputed document.
@sa.event.listens_for(Session, "before_flush", insert=True)
def _lines_changed(session: Session, _context: Any, _instances: Any) -> None:
    from core.workflow.registry import workflows_of

    installed = workflows_of(session)
    if installed.lines and (session.new or session.dirty or session.deleted):
        with session.no_autoflush:
            check_and_compute(session, installed.lines, installed.by_model)
