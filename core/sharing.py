"""Account and deal teams: records shared with named users or a team (#14).

A model declares `__shareable__ = True` (customers, opportunities). One of its
records can then be shared with a user or a department (a team), each with a role
on the record's team (pre-sales engineer, manager, colleague...). The policy adds
a "shared with you" rule for every role that may read the model, ORed with the
roles' own rules like any record rule: team members see and work on the record
through the kernel's record rules, and "why can a user see this" names the rule.
Sharing is granted by an administrator or by the manager of the record owner's
department (or above it); every grant and withdrawal is written to the record's
chatter and the security log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from core import security_log
from core.access.rules import Expression, RecordRule, Scope, field_of
from core.audit import Note
from core.context import Actor, system_context
from core.errors import AccessDenied, ValidationError
from core.i18n import _, _l
from core.models import Department, User
from core.orm import Base, Model, utcnow
from core.views import Param, RecordAction

TEAM_ROLES = [("account", _l("Account team member")), ("presales", _l("Pre-sales engineer")),
              ("manager", _l("Manager")), ("colleague", _l("Colleague from another region"))]


class RecordShare(Base):
    """One record shared with a user or a department, with a role on its team."""

    __tablename__ = "kehu_record_share"
    __table_args__ = (sa.Index("ix_kehu_record_share_record", "model", "res_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    division_id: Mapped[int] = mapped_column(sa.ForeignKey("kehu_division.id", ondelete="CASCADE"),
                                             info={"label": _l("Division")})
    model: Mapped[str] = mapped_column(sa.String(64))
    res_id: Mapped[int] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Team member")})
    department_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_department.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Team")})
    role: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Role on the team"),
                                                           "choices": TEAM_ROLES})
    granted_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("kehu_user.id", ondelete="SET NULL"), info={"label": _l("Granted by")})
    create_date: Mapped[dt.datetime] = mapped_column(default=utcnow,
                                                     info={"label": _l("Granted on")})


def shareable(model: Any) -> bool:
    """Whether records of `model` may be shared with users and teams."""
    return isinstance(model, type) and issubclass(model, Model) \
        and bool(getattr(model, "__shareable__", False))


def _shared_ids(model: type, actor: Actor) -> sa.Select[Any]:
    """The ids of `model`'s records shared with `actor` or the actor's team."""
    members = [RecordShare.user_id == actor.user_id]
    if actor.department_id is not None:
        members.append(RecordShare.department_id == actor.department_id)
    return sa.select(RecordShare.res_id).where(
        RecordShare.model == model.__tablename__, sa.or_(*members))  # type: ignore[attr-defined]


def _shared(model: type, actor: Actor) -> Expression:
    return model.id.in_(_shared_ids(model, actor))  # type: ignore[attr-defined,no-any-return]


SHARED = Scope(_l("records shared with the user or the user's team"), _shared)


# ------------------------------------------------------------------ automatic rules


def _parents(model: type) -> list[tuple[Any, type]]:
    """(column, parent model) of `model`'s references to shareable records: a deal's
    customer. The parent's team sees the record too (a customer's account team sees its
    deals)."""
    tables = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers if shareable(m.class_)}
    found = []
    for prop in sa.inspect(model).column_attrs:  # type: ignore[var-annotated]
        column = prop.columns[0]
        for foreign in getattr(column, "foreign_keys", ()):
            parent = tables.get(foreign.column.table.name)
            if parent is not None and parent is not model:
                found.append((getattr(model, prop.key), parent))
    return found


def _through(column: Any, parent: type) -> Scope:
    def build(model: type, actor: Actor) -> Expression:
        return column.in_(_shared_ids(parent, actor))  # type: ignore[no-any-return]

    label = _l("records of a {parent} whose team the user or the user's team is on")
    # A LazyText-like label: shown through str(), in the current language.
    return Scope(_Formatted(label, parent), build)  # type: ignore[arg-type]


class _Formatted:
    """A scope label naming a model, translated when shown."""

    def __init__(self, text: Any, model: type) -> None:
        self.text, self.model = text, model

    def __str__(self) -> str:
        from core.fields import model_label

        return str(self.text).format(parent=model_label(self.model))


def sharing_scopes(model: type) -> list[Scope]:
    """The automatic sharing rules of a shareable model: records shared with the user
    or the user's team, and records of a shared parent (the customer's account team
    sees its deals, #14)."""
    return [SHARED, *(_through(column, parent) for column, parent in _parents(model))]


def shared_when(model: type, roles: str | tuple[str, ...], label: Any, *,
                where: Any, team: str | None = None, users: tuple[str, ...] = ()) -> RecordRule:
    """A declared sharing rule (#14): the rows of `model` that match `where(model)` (an
    SQL condition: "amount above X in region Y") are shared with the department coded
    `team` (and the teams under it) of the row's division and with the users `users`
    (logins). Returned from `kehu_register_record_rules` like any record rule, applied
    on every read below the web layer and named by "why can a user see this".

        shared_when(Opportunity, SALES_REP, _l("Deals above ¥1,000,000 in 江苏 are "
                    "shared with the key-account team"),
                    where=lambda m: sa.and_(m.amount >= 1_000_000, in_region(m, "320000")),
                    team="KA")
    """

    def build(rows: type, actor: Actor) -> Expression:
        members: list[sa.ColumnElement[bool]] = []
        if users and actor.login in users:
            members.append(sa.true())
        if team is not None and actor.department_path:
            teams = sa.select(Department.id).where(
                Department.code == team, Department.division_id == rows.division_id,  # type: ignore[attr-defined]
                sa.literal(actor.department_path).like(Department.path + "%"))
            members.append(teams.exists())
        if not members:
            return sa.false()
        return sa.and_(where(rows), sa.or_(*members))

    return RecordRule(model, roles, Scope(label, build))


def in_region(model: type, code: str) -> Expression:
    """For `shared_when`: rows whose region (`__region__`) is the region `code` or under it."""
    from core.models import Region

    region = field_of(model, "region")
    if region is None:
        raise TypeError(f"{model.__name__} names no region (`__region__`)")
    path = sa.select(Region.path).where(Region.code == code).scalar_subquery()
    return region.in_(sa.select(Region.id).where(  # type: ignore[no-any-return]
        Region.path.like(sa.func.coalesce(path, "-") + "%")))


def _may_grant(session: Session, record: Any, actor: Actor) -> bool:
    """An administrator, or a manager of the owner's department or one above it."""
    if actor.system or actor.is_admin:
        return True
    owner = field_of(type(record), "owner")
    owner_id = getattr(record, owner.key) if owner is not None else record.create_uid
    path = session.scalar(sa.select(Department.path).join(User, User.department_id == Department.id)
                          .where(User.id == owner_id))
    if not path:
        return False
    return any(path.startswith(managed) for managed in actor.managed_paths)


def _log(session: Session, record: Any, actor: Actor, text: str, event: str) -> None:
    session.add(Note(model=record.__tablename__, res_id=record.id, body=text,
                     user_id=actor.user_id))
    security_log.event(event, actor=actor, model=record.__tablename__, record_id=record.id)


def _remove(session: Session, record: Any, user_id: int | None, team_id: int | None) -> None:
    member = (RecordShare.user_id == user_id if user_id is not None
              else RecordShare.department_id == team_id)
    session.execute(sa.delete(RecordShare).where(
        RecordShare.model == record.__tablename__, RecordShare.res_id == record.id, member))


def share(session: Session, record: Any, actor: Actor, values: dict[str, Any]) -> str:
    """Share `record` with values["user"] (a User id) or values["team"] (a Department id)."""
    if not shareable(type(record)):
        raise ValidationError(_("Records of this kind are not shared."))
    if not _may_grant(session, record, actor):
        raise AccessDenied(_("Only the owner's manager or an administrator may share this record."))
    user_id, team_id, role = values.get("user"), values.get("team"), values.get("role") or "colleague"
    if (user_id is None) == (team_id is None):
        message = _("Choose a user or a team, one of the two.")
        raise ValidationError(message, fields={"user": message})
    member = session.get(User, user_id) if user_id is not None else session.get(Department, team_id)
    if member is None:
        raise ValidationError(_("No such record, or you may not see it."))
    label = str(dict(TEAM_ROLES).get(role, role))
    with system_context():  # the grant is checked above; the share rows are the kernel's
        _remove(session, record, user_id, team_id)
        session.add(RecordShare(division_id=record.division_id, model=record.__tablename__,
                                res_id=record.id, user_id=user_id, department_id=team_id,
                                role=role, granted_by=actor.user_id))
        _log(session, record, actor, _("Shared with {member} as {role}.").format(
            member=member.name, role=label), "record.shared")
        session.flush()
    return _("{member} is on the team as {role}.").format(member=member.name, role=label)


def unshare(session: Session, record: Any, actor: Actor, values: dict[str, Any]) -> str:
    """Take values["user"] or values["team"] off the record's team."""
    if not _may_grant(session, record, actor):
        raise AccessDenied(_("Only the owner's manager or an administrator may share this record."))
    user_id, team_id = values.get("user"), values.get("team")
    member = session.get(User, user_id) if user_id is not None else \
        session.get(Department, team_id) if team_id is not None else None
    if member is None:
        message = _("Choose a user or a team, one of the two.")
        raise ValidationError(message, fields={"user": message})
    with system_context():
        _remove(session, record, user_id, team_id)
        _log(session, record, actor, _("No longer shared with {member}.").format(
            member=member.name), "record.unshared")
        session.flush()
    return _("{member} is off the team.").format(member=member.name)


def share_actions(model: type) -> list[RecordAction]:
    """The "share" and "stop sharing" buttons of a shareable model's form."""
    who = [Param("user", _l("User"), kind="ref", target=User, required=False),
           Param("team", _l("Team"), kind="ref", target=Department, required=False)]
    return [RecordAction(model, "share", _l("Share with a user or team"), share, right="read",
                         params=[*who, Param("role", _l("Role on the team"), kind="choice",
                                             choices=TEAM_ROLES)]),
            RecordAction(model, "unshare", _l("Stop sharing"), unshare, right="read", params=who)]


def shareable_models() -> list[type]:
    """Every mapped model that declares `__shareable__`."""
    return [m.class_ for m in Base.registry.mappers if shareable(m.class_)]


# ------------------------------------------------------------------ the team panel


@dataclass(frozen=True)
class TeamMember:
    """One member of a record's team as its form lists them."""

    kind: str  # "user" or "team"
    member_id: int
    name: str
    role: str
    granted_by: str
    granted_on: dt.datetime | None
    through: str = ""  # "客户 南京华信": on the team of the record's customer


@dataclass(frozen=True)
class TeamPanel:
    """The team of a shared record: its members, those it has through its customer,
    and whether the user may add or remove members (#14)."""

    members: list[TeamMember]
    inherited: list[TeamMember]
    may_manage: bool
    roles: list[tuple[str, str]]


def _members(session: Session, model: str, res_id: int, through: str = "") -> list[TeamMember]:
    granter = aliased(User)
    rows = session.execute(
        sa.select(RecordShare.user_id, RecordShare.department_id, User.name, Department.name,
                  RecordShare.role, granter.name, RecordShare.create_date)
        .outerjoin(User, User.id == RecordShare.user_id)
        .outerjoin(Department, Department.id == RecordShare.department_id)
        .outerjoin(granter, granter.id == RecordShare.granted_by)
        .where(RecordShare.model == model, RecordShare.res_id == res_id)
        .order_by(RecordShare.id)).all()
    roles = dict(TEAM_ROLES)
    return [TeamMember("user" if user_id is not None else "team",
                       int(user_id if user_id is not None else team_id or 0),
                       user_name if user_id is not None else team_name or "",
                       str(roles.get(role, role)), by or "", on, through)
            for user_id, team_id, user_name, team_name, role, by, on in rows]


def team_panel(session: Session, record: Any, actor: Actor) -> TeamPanel | None:
    """The team panel of `record`'s form, or None when its model is not shared."""
    if not shareable(type(record)):
        return None
    from core.fields import display_name_column, model_label

    with system_context(), session.no_autoflush:  # the panel of a record the user reads
        members = _members(session, record.__tablename__, record.id)
        inherited = []
        for column, parent in _parents(type(record)):
            parent_id = getattr(record, column.key)
            if parent_id is None:
                continue
            name = session.scalar(sa.select(display_name_column(parent))
                                  .where(parent.id == parent_id))  # type: ignore[attr-defined]
            inherited += _members(session, parent.__tablename__, parent_id,  # type: ignore[attr-defined]
                                  f"{model_label(parent)} {name}")
        may = _may_grant(session, record, actor)
    return TeamPanel(members, inherited, may, [(key, str(label)) for key, label in TEAM_ROLES])
