"""Audit trail of tracked fields, and the chatter: notes and activities on any record.

The audit tables are not business Models (no division): what they say about a
record is visible exactly when the record is, so every read below loads the
record through the session first, and the record rules decide.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import get_history

from core.context import current_actor
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _, _l, format_when
from core.models import User
from core.orm import Base, Model, utcnow


class FieldChange(Base):
    """One tracked field of one record changed: old → new, who and when."""

    __tablename__ = "kehu_field_change"
    __table_args__ = (sa.Index("ix_kehu_field_change_record", "model", "res_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    field: Mapped[str] = mapped_column(sa.String(64))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="SET NULL"))
    date: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(sa.String(255))


class Note(Base):
    """A note left on a record."""

    __tablename__ = "kehu_note"
    __table_args__ = (sa.Index("ix_kehu_note_record", "model", "res_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kehu_user.id", ondelete="SET NULL"))
    date: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Activity(Base):
    """A call, visit or task planned on a record, with a due date (行动)."""

    __tablename__ = "kehu_activity"
    __table_args__ = (
        sa.Index("ix_kehu_activity_record", "model", "res_id", "id"),
        sa.Index("ix_kehu_activity_assignee_due", "assignee_id", "done", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(16))  # call, visit, task, meeting
    summary: Mapped[str] = mapped_column(sa.String(255))
    due_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    assignee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL")
    )
    done: Mapped[bool] = mapped_column(default=False)
    done_date: Mapped[dt.datetime | None] = mapped_column()
    result: Mapped[str | None] = mapped_column(sa.Text)
    create_uid: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL")
    )
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow)


# ------------------------------------------------------------- audit trail

_CHANGES = cast(sa.Table, FieldChange.__table__)
MAX_NOTE = 10_000
ACTIVITY_KINDS = {
    "call": _l("Call"),
    "visit": _l("Visit"),
    "task": _l("Task"),
    "meeting": _l("Meeting"),
}
Change = tuple[int, str, Any, Any]  # res_id, field, old value, new value


def _text(value: Any) -> str | None:
    """A field value as stored in the trail: None stays None, dates in ISO form."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows(model_cls: Any, changes: Iterable[Change], reason: str | None) -> list[dict[str, Any]]:
    user_id, now = current_actor().user_id, utcnow()
    return [
        {"model": model_cls.__tablename__, "res_id": res_id, "field": field,
         "old_value": _text(old), "new_value": _text(new), "user_id": user_id,
         "date": now, "reason": reason}
        for res_id, field, old, new in changes
    ]


def record_changes(session: Session, model_cls: type, changes: list[Change],
                   reason: str | None = None) -> int:
    """Write one FieldChange per (res_id, field, old, new), in one executemany.

    For kernel code that changes rows with bulk UPDATEs, which no flush sees
    (reassignment). It writes what it is told: callers have checked the change.
    """
    rows = _rows(model_cls, changes, reason)
    if rows:
        # On the session's connection: same transaction, no rights check of its own.
        session.connection().execute(sa.insert(_CHANGES), rows)
    return len(rows)


@sa.event.listens_for(Model, "mapper_configured", propagate=True)
def _keep_old_values(_mapper: sa.orm.Mapper[Any], cls: type) -> None:
    """Load a tracked field's old value before it is overwritten, even when expired."""
    for name in getattr(cls, "__tracked__", ()):
        sa.event.listen(getattr(cls, name), "set", _ignore, active_history=True)


def _ignore(*_args: Any) -> None:
    """A "set" listener that only asks SQLAlchemy to keep the old value."""


def _tracked_changes(record: Model) -> list[Change]:
    changes: list[Change] = []
    for name in getattr(type(record), "__tracked__", ()):
        history = get_history(record, name)
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            changes.append((record.id, name, old, new))
    return changes


@sa.event.listens_for(Session, "after_flush")
def _record_tracked_fields(session: Session, _context: Any) -> None:
    """Write a FieldChange for every tracked field that this flush changed.

    After the flush (history is still there) rather than before it, so that the
    rows go out in one executemany per model, whatever other listeners changed.
    """
    by_model: dict[type, list[Change]] = defaultdict(list)
    for record in session.dirty:
        if isinstance(record, Model) and hasattr(record, "__tracked__"):
            by_model[type(record)] += _tracked_changes(record)
    for model_cls, changes in by_model.items():
        record_changes(session, model_cls, changes)


# ----------------------------------------------------------------- reading


def _model_of(table: str) -> Any:
    """The mapped class of `table`, or None."""
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table:
            return mapper.class_
    return None


def load_record(session: Session, model_cls: Any, res_id: int) -> Any:
    """The record, read through the session so the record rules apply; NotFound if hidden."""
    found = session.scalars(sa.select(model_cls).where(model_cls.id == res_id)).first()
    if found is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    return found


def _of(record: Any) -> dict[str, Any]:
    return {"model": record.__tablename__, "res_id": record.id}


def history(session: Session, model_cls: type, res_id: int) -> list[FieldChange]:
    """The tracked changes of a record the actor may see, newest first."""
    record = load_record(session, model_cls, res_id)
    return list(session.scalars(
        sa.select(FieldChange).filter_by(**_of(record))
        .order_by(FieldChange.date.desc(), FieldChange.id.desc())
    ))


# ------------------------------------------------------------------ chatter


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def _required_text(field: str, value: str | None, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise _invalid(field, _("This field is required."))
    if len(text) > limit:
        raise _invalid(field, _("At most {count} characters.").format(count=limit))
    return text


def add_note(session: Session, record: Any, body: str) -> Note:
    """Leave a note on a record the actor may see."""
    text = _required_text("body", body, MAX_NOTE)
    target = load_record(session, type(record), record.id)
    note = Note(**_of(target), body=text, user_id=current_actor().user_id)
    session.add(note)
    session.flush()
    from core.notify.events import note_added

    note_added(session, target, text)  # @mentions and followers are told (#18)
    return note


def _check_assignee(session: Session, assignee_id: int | None) -> None:
    if assignee_id is None:
        return
    active = session.scalar(sa.select(User.active).where(User.id == assignee_id))
    if not active:
        raise _invalid("assignee_id", _("Choose an active user."))


def add_activity(
    session: Session, record: Any, *, kind: str, summary: str,
    due_date: dt.date | None = None, assignee_id: int | None = None,
) -> Activity:
    """Plan a call, visit, task or meeting on a record the actor may see."""
    if kind not in ACTIVITY_KINDS:
        raise _invalid("kind", _("Choose one of: {choices}.").format(
            choices=", ".join(str(label) for label in ACTIVITY_KINDS.values())))
    text = _required_text("summary", summary, 255)
    _check_assignee(session, assignee_id)
    target = load_record(session, type(record), record.id)
    activity = Activity(**_of(target), kind=kind, summary=text, due_date=due_date,
                        assignee_id=assignee_id, create_uid=current_actor().user_id)
    session.add(activity)
    session.flush()
    return activity


def mark_done(session: Session, activity_id: int, *, result: str | None = None) -> Activity:
    """Close an activity of a record the actor may see, with what came of it."""
    activity = session.get(Activity, activity_id)
    model_cls = _model_of(activity.model) if activity is not None else None
    if activity is None or model_cls is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    load_record(session, model_cls, activity.res_id)
    if activity.done:
        raise Conflict(_("This activity is done already."))
    activity.done = True
    activity.done_date = utcnow()
    activity.result = (result or "").strip() or None
    session.flush()
    return activity


@dataclass(frozen=True)
class ChatterItem:
    """One entry of a record's chatter: a note, an activity or a field change."""

    kind: str  # "note", "activity" or "change"
    id: int
    date: dt.datetime
    user: str  # who wrote it; "" for the system
    text: str  # in the current language
    done: bool | None = None  # activities only


def chatter(session: Session, record: Any) -> list[ChatterItem]:
    """Notes, activities and tracked changes of a record the actor may see, newest first."""
    target = load_record(session, type(record), record.id)
    notes = list(session.scalars(sa.select(Note).filter_by(**_of(target))))
    activities = list(session.scalars(sa.select(Activity).filter_by(**_of(target))))
    changes = list(session.scalars(sa.select(FieldChange).filter_by(**_of(target))))
    people = {n.user_id for n in notes} | {c.user_id for c in changes}
    people |= {a.create_uid for a in activities} | {a.assignee_id for a in activities}
    users = _names(session, User, people)
    labels = _value_labels(session, type(target), changes)
    items = [ChatterItem("note", n.id, n.date, users.get(n.user_id, ""), n.body) for n in notes]
    items += [ChatterItem("activity", a.id, a.create_date, users.get(a.create_uid, ""),
                          _activity_text(a, users), a.done) for a in activities]
    items += [ChatterItem("change", c.id, c.date, users.get(c.user_id, ""),
                          _change_text(type(target), c, labels)) for c in changes]
    return sorted(items, key=lambda item: (item.date, item.id), reverse=True)


def _names(session: Session, model_cls: Any, ids: Iterable[int | None]) -> dict[Any, str]:
    """id → name of the rows of `model_cls` the actor may see (one query)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(sa.select(model_cls.id, model_cls.name).where(model_cls.id.in_(wanted)))
    return {row_id: name for row_id, name in rows}


def _activity_text(activity: Activity, users: dict[Any, str]) -> str:
    text = _("{kind}: {summary}").format(kind=ACTIVITY_KINDS.get(activity.kind, activity.kind),
                                        summary=activity.summary)
    if activity.due_date is not None:
        text += " · " + _("due {date}").format(date=format_when(activity.due_date))
    if activity.assignee_id is not None:
        assignee = users.get(activity.assignee_id) or str(activity.assignee_id)
        text += " · " + _("for {user}").format(user=assignee)
    if activity.done:
        text += " · " + (_("done: {result}").format(result=activity.result)
                         if activity.result else _("done"))
    return text


def _value_labels(session: Session, model_cls: type, changes: list[FieldChange]
                  ) -> dict[tuple[str, str], str]:
    """Names of the rows that changed references point to (owner id → user name)."""
    labels: dict[tuple[str, str], str] = {}
    for field in {c.field for c in changes}:
        column = model_cls.__table__.c.get(field)  # type: ignore[attr-defined]
        keys = list(column.foreign_keys) if column is not None else []
        target = _model_of(keys[0].column.table.name) if len(keys) == 1 else None
        if target is None or "name" not in target.__table__.c:
            continue
        values = {v for c in changes if c.field == field for v in (c.old_value, c.new_value)}
        ids = [int(v) for v in values if v is not None and v.isdigit()]
        for row_id, name in _names(session, target, ids).items():
            labels[(field, str(row_id))] = name
    return labels


def _change_text(model_cls: type, change: FieldChange, labels: dict[tuple[str, str], str]) -> str:
    """"Owner: 李娜 → 王强": the field's label, and names or choice labels for values."""
    column = model_cls.__table__.c.get(change.field)  # type: ignore[attr-defined]
    info = column.info if column is not None else {}
    label, choices = info.get("label"), dict(info.get("choices", ()))

    boolean = column is not None and isinstance(column.type, sa.Boolean)

    def shown(value: str | None) -> str:
        if value is None:
            return "—"
        if boolean and value in ("True", "False"):  # a tick box: 是 / 否, not True / False
            return _("Yes") if value == "True" else _("No")
        return str(choices.get(value) or labels.get((change.field, value), value))

    text = _("{field}: {old} → {new}").format(
        field=str(label or change.field), old=shown(change.old_value), new=shown(change.new_value))
    return text + (" · " + change.reason if change.reason else "")
