"""Lookup lists (基础资料) shared by a group of divisions (#14).

A model declares `__lookup__ = True` to be a lookup list. Its entries are either
company-wide (`division_id` NULL: loaded once, seen by every division) or one
division's own. A division may hide a company-wide entry it does not use
(`HiddenLookup`): its pickers and imports stop offering it, records that already
hold it keep it.

The kernel also keeps references inside the record's division, below the web
layer: before every flush, each new or changed reference to a division-scoped
record (a lookup entry, a customer, a department...) must point to a record of
the same division or to a company-wide entry. The message names the field.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING, Any, TypeGuard

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Mapper, Session, mapped_column

from core.context import current_actor, system_context
from core.errors import AccessDenied, ValidationError
from core.fields import field_info, model_label
from core.i18n import _, _l
from core.orm import Base, Model, utcnow

if TYPE_CHECKING:
    from core.views import RecordAction

# Tables whose division is not a boundary for references: a user may serve
# records of several divisions (an HQ manager owns deals of a division).
_NOT_BOUNDED = frozenset({"kehu_user", "kehu_division"})


class HiddenLookup(Base):
    """A company-wide lookup entry that one division does not offer (#14)."""

    __tablename__ = "kehu_lookup_hidden"
    __table_args__ = (sa.UniqueConstraint("division_id", "model", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(
        sa.ForeignKey("kehu_division.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Division")})
    model: Mapped[str] = mapped_column(sa.String(64), info={"label": _l("List")})
    entry_id: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Entry")})
    create_uid: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL"), info={"label": _l("Hidden by")})
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow,
                                                     info={"label": _l("Hidden on")})


def is_lookup(model: object) -> TypeGuard[type[Model]]:
    """Whether `model` is a lookup list whose entries may be company-wide."""
    return isinstance(model, type) and issubclass(model, Model) and bool(model.__lookup__)


def division_scoped(model: Any) -> bool:
    """Whether references to `model`'s rows must stay inside the referring record's division."""
    table = getattr(model, "__table__", None)
    return (isinstance(table, sa.Table) and "division_id" in table.c
            and table.name not in _NOT_BOUNDED)


def hidden_ids(model: type, division_id: int) -> sa.Select[Any]:
    """The ids of `model`'s company-wide entries that `division_id` hides."""
    return sa.select(HiddenLookup.entry_id).where(
        HiddenLookup.model == model.__tablename__,  # type: ignore[attr-defined]
        HiddenLookup.division_id == division_id)


def usable_in(model: type, division_id: int | None) -> sa.ColumnElement[bool]:
    """The rows of `model` a record of division `division_id` may reference: the
    division's own and, for a lookup, the company-wide entries it does not hide."""
    column = model.division_id  # type: ignore[attr-defined]
    if division_id is None:
        return column.is_(None) if is_lookup(model) else sa.true()
    if not is_lookup(model):
        return column == division_id  # type: ignore[no-any-return]
    shared = sa.and_(column.is_(None),
                     model.id.not_in(hidden_ids(model, division_id)))
    return sa.or_(column == division_id, shared)


def set_hidden(session: Session, model: type, entry_id: int, division_id: int, *,
               hidden: bool) -> None:
    """Hide a company-wide entry of `model` in one division, or offer it again."""
    if not is_lookup(model):
        raise ValidationError(_("Only lookup lists have company-wide entries."))
    division = session.scalar(sa.select(model.division_id).where(model.id == entry_id))
    exists = session.scalar(sa.select(sa.func.count()).select_from(model)
                            .where(model.id == entry_id))
    if not exists or division is not None:
        raise ValidationError(_("Only a company-wide entry can be hidden in a division."))
    table = model.__tablename__
    session.execute(sa.delete(HiddenLookup).where(
        HiddenLookup.division_id == division_id, HiddenLookup.model == table,
        HiddenLookup.entry_id == entry_id))
    if hidden:
        session.add(HiddenLookup(division_id=division_id, model=table, entry_id=entry_id,
                                 create_uid=current_actor().user_id))
    session.flush()


# ------------------------------------------------------------------ references


@cache
def _references(model: type) -> tuple[tuple[str, type[Base]], ...]:
    """(attribute key, target model) of `model`'s division-bounded many-to-one columns."""
    tables: dict[str, type[Base]] = {
        m.class_.__table__.name: m.class_ for m in Base.registry.mappers
        if isinstance(getattr(m.class_, "__table__", None), sa.Table)}
    found: list[tuple[str, type[Base]]] = []
    mapper: Mapper[Any] = sa.inspect(model)
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if prop.key == "division_id" or not isinstance(column, sa.Column):
            continue
        for foreign in column.foreign_keys:
            target = tables.get(foreign.column.table.name)
            if target is not None and division_scoped(target):
                found.append((prop.key, target))
    return tuple(found)


def references_of(model: type) -> tuple[tuple[str, type[Base]], ...]:
    """(attribute key, target model) of `model`'s references to division-scoped rows."""
    return _references(model)


def _changed(record: Any, key: str, *, new: bool) -> bool:
    if new:
        return True
    attrs = sa.inspect(record).attrs
    return bool(attrs[key].history.has_changes() or attrs["division_id"].history.has_changes())


def _pending(session: Session) -> dict[type, dict[int, list[tuple[Any, str]]]]:
    """Target model → id → the (record, key) pairs that reference it in this flush."""
    wanted: dict[type, dict[int, list[tuple[Any, str]]]] = defaultdict(lambda: defaultdict(list))
    records = [(r, True) for r in session.new] + [(r, False) for r in session.dirty]
    for record, new in records:
        if not isinstance(record, Model) or record.division_id is None:
            continue
        # An attribute never loaded was not changed (and a deferred extension column
        # may not exist in this database).
        unloaded = sa.inspect(record).unloaded
        for key, target in _references(type(record)):
            if key in unloaded:
                continue
            value = getattr(record, key)
            if value is not None and _changed(record, key, new=new):
                wanted[target][int(value)].append((record, key))
    return wanted


def check_references(session: Session) -> None:
    """Refuse references to another division's records (one query per target model)."""
    errors: dict[str, str] = {}
    labels: list[str] = []
    for target, by_id in _pending(session).items():
        with system_context(), session.no_autoflush:
            found = dict(session.execute(
                sa.select(target.id, target.division_id).where(target.id.in_(sorted(by_id)))).all())  # type: ignore[attr-defined]
        for entry_id, uses in by_id.items():
            if entry_id not in found:
                continue  # a missing row is the database's foreign key's business
            for record, key in uses:
                division = found[entry_id]
                if division is None and is_lookup(target) or division == record.division_id:
                    continue
                label = str(field_info(getattr(type(record), key)).label)
                errors[key] = _("{target} of another division: choose one of this record's "
                                "division or a company-wide one.").format(target=model_label(target))
                labels.append(label)
    if errors:
        raise ValidationError(
            _("{fields}: the chosen entry belongs to another division.").format(
                fields=", ".join(dict.fromkeys(labels))), fields=errors)


def _protect_shared(session: Session) -> None:
    """Only an administrator (or the system) changes or deletes a company-wide entry."""
    actor = current_actor()
    if actor.system or actor.is_admin:
        return
    for record in list(session.dirty) + list(session.deleted):
        if not is_lookup(type(record)):
            continue
        history = sa.inspect(record).attrs["division_id"].history
        before = history.deleted[0] if history.deleted else record.division_id
        if before is None and (record in session.deleted or session.is_modified(record)):
            raise AccessDenied(_("Only an administrator may change a company-wide {model} entry.")
                               .format(model=model_label(type(record))))


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Registered after the stamps and the access checks, which fill the division."""
    _protect_shared(session)
    check_references(session)


# ------------------------------------------------------------------ pickers


def _users_of(division_id: int) -> sa.ColumnElement[bool]:
    """The users who may own a record of `division_id`: its own and headquarters staff."""
    from core.models import Division, User

    headquarters = sa.select(Division.id).where(Division.is_headquarters)
    return sa.or_(User.division_id == division_id, User.division_id.in_(headquarters))


def follows_division(model: Any) -> bool:
    """Whether a picker of `model` offers other rows when the record's division changes:
    division-scoped rows (lookups, customers, departments) and users (owners, #14)."""
    return division_scoped(model) or getattr(model, "__tablename__", None) == "kehu_user"


def picker_conditions(model: type, params: Any) -> list[sa.ColumnElement[bool]]:
    """What a picker of `model` asks for besides the typed text (`/m/<key>/lookup`):

    - `division=<id>`: only rows a record of that division may reference (its own
      and the company-wide entries it does not hide);
    - `<column>=<id>` for a many-to-one column of `model` (`sales_mode_id=3`): only
      rows under that record, the stages of the chosen sales mode.
    """
    conditions = []
    division = str(params.get("division") or "")
    if division.isdigit() and len(division) < 10 and division_scoped(model):
        conditions.append(usable_in(model, int(division)))
    elif division.isdigit() and len(division) < 10 and follows_division(model):
        conditions.append(_users_of(int(division)))
    mapper: Mapper[Any] = sa.inspect(model)
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        raw = str(params.get(prop.key) or "")
        if (prop.key != "division_id" and isinstance(column, sa.Column) and column.foreign_keys
                and raw.isdigit() and len(raw) < 10):
            conditions.append(getattr(model, prop.key) == int(raw))
    return conditions


def division_from_references(session: Session, model: type, values: dict[str, Any]
                             ) -> int | None:
    """The division a new record of `model` follows from what it references (#14): a
    deal, visit or claim for a customer lands in the customer's division. The records
    it references that are neither lookups nor company-wide must agree on one division;
    otherwise None (the user's division applies, and the check of references names a
    field that does not fit)."""
    actor = current_actor()
    if not actor.system and len(actor.division_ids) < 2:
        return None  # one division: the user's, nothing to look up
    found: set[int] = set()
    for key, target in _references(model):
        value = values.get(key)
        if value is None or is_lookup(target) or not isinstance(value, int):
            continue
        with system_context(), session.no_autoflush:
            division = session.scalar(sa.select(target.division_id)  # type: ignore[attr-defined]
                                      .where(target.id == value))  # type: ignore[attr-defined]
        if division is not None:
            found.add(int(division))
    if len(found) != 1 or not (actor.system or found <= actor.division_ids):
        return None
    return found.pop()


def dependencies(target: type, fields: Any) -> dict[str, str]:
    """For a picker of `target` on a form with `fields`: which of `target`'s columns
    follow which form field ({"sales_mode_id": "sales_mode_id"}: a stage picker offers
    the stages of the sales mode chosen on the form)."""
    found = {}
    by_target: dict[Any, str] = {}
    for field in fields:
        if getattr(field, "kind", None) == "ref" and field.target is not None:
            by_target.setdefault(field.target.__tablename__, field.name)
    for key, other in _references(target):
        if other is not target and other.__tablename__ in by_target:
            found[key] = by_target[other.__tablename__]
    return found


# ------------------------------------------------------------------ hiding, from the form


def _hide_here(session: Session, record: Any, actor: Any, values: dict[str, Any]) -> str:
    return _toggle(session, record, actor, hidden=True)


def _offer_here(session: Session, record: Any, actor: Any, values: dict[str, Any]) -> str:
    return _toggle(session, record, actor, hidden=False)


def _toggle(session: Session, record: Any, actor: Any, *, hidden: bool) -> str:
    if not (actor.system or actor.is_admin) or actor.division_id is None:
        raise AccessDenied(_("Only an administrator may hide a company-wide entry in a division."))
    with system_context():  # checked above; the hidden marks are the kernel's
        set_hidden(session, type(record), record.id, actor.division_id, hidden=hidden)
    return (_("Hidden in your division: its pickers no longer offer it.") if hidden
            else _("Offered again in your division."))


def hiding_actions(model: type) -> list[RecordAction]:
    """"Hide in my division" / "Offer again" on the form of a lookup's company-wide entry."""
    from core.views import RecordAction  # views import the access layer, which imports this

    shared = lambda record: record.division_id is None  # noqa: E731
    return [RecordAction(model, "hide_here", _l("Hide in my division"), _hide_here, right="read",
                         visible=shared),
            RecordAction(model, "offer_here", _l("Offer again in my division"), _offer_here,
                         right="read", visible=shared)]


def lookup_models() -> list[type]:
    """Every mapped lookup list (`__lookup__ = True`)."""
    return [m.class_ for m in Base.registry.mappers if is_lookup(m.class_)]
