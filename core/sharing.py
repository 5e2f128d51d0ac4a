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
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import security_log
from core.access.rules import Expression, Scope, field_of
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


def _shared(model: type, actor: Actor) -> Expression:
    members = [RecordShare.user_id == actor.user_id]
    if actor.department_id is not None:
        members.append(RecordShare.department_id == actor.department_id)
    ids = sa.select(RecordShare.res_id).where(
        RecordShare.model == model.__tablename__, sa.or_(*members))  # type: ignore[attr-defined]
    return model.id.in_(ids)  # type: ignore[attr-defined,no-any-return]


SHARED = Scope(_l("records shared with the user or the user's team"), _shared)


def _may_grant(session: Session, record: Any, actor: Actor) -> bool:
    """An administrator, or a manager of the owner's department or one above it."""
    if actor.system or actor.is_admin:
        return True
    owner = field_of(type(record), "owner")
    owner_id = getattr(record, owner.key) if owner is not None else record.create_uid
    path = session.scalar(sa.select(Department.path).join(User, User.department_id == Department.id)
                          .where(User.id == owner_id))
    return bool(path) and any(path.startswith(managed) for managed in actor.managed_paths)


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
