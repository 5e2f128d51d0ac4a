"""Who approves: a step resolved to users at submit time, and who may act for whom.

Run as the system: the organisation is read whole, whatever the submitter may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.models import Department, User, user_role
from core.orm import utcnow
from core.workflow.declarations import (
    DEPARTMENT_MANAGER,
    DIRECT_MANAGER,
    MANAGER_ABOVE,
    ROLE,
    USER,
)
from core.workflow.models import ApprovalDelegation


@dataclass(frozen=True)
class Target:
    """What a step asks for, in ids: a kind and its role, department or user."""

    kind: str
    role: str | None = None
    department_id: int | None = None
    user_id: int | None = None


def _active(session: Session, user_id: int | None) -> int | None:
    if user_id is None:
        return None
    active = session.scalar(sa.select(User.active).where(User.id == user_id))
    return user_id if active else None


def _department_manager_above(session: Session, department_id: int | None,
                              user_id: int) -> int | None:
    """The first manager other than `user_id` up the tree from `department_id`."""
    seen: set[int] = set()
    while department_id is not None and department_id not in seen:
        seen.add(department_id)
        row = session.execute(
            sa.select(Department.manager_id, Department.parent_id)
            .where(Department.id == department_id)
        ).first()
        if row is None:
            return None
        manager_id, parent_id = row
        if manager_id is not None and manager_id != user_id and _active(session, manager_id):
            return int(manager_id)
        department_id = parent_id
    return None


def direct_manager(session: Session, user_id: int | None) -> int | None:
    """The user's direct superior: `manager_id`, else their department's manager,
    else the manager of a department above (never the user themself)."""
    if user_id is None:
        return None
    row = session.execute(
        sa.select(User.manager_id, User.department_id).where(User.id == user_id)
    ).first()
    if row is None:
        return None
    manager_id, department_id = row
    if manager_id is not None and manager_id != user_id and _active(session, manager_id):
        return int(manager_id)
    return _department_manager_above(session, department_id, user_id)


def resolve(session: Session, target: Target, *, submitter_id: int | None,
            division_id: int | None) -> list[int]:
    """The active users who may decide a step, the submitter never among them."""
    found: list[int] = []
    if target.kind == DIRECT_MANAGER:
        found = [u for u in [direct_manager(session, submitter_id)] if u]
    elif target.kind == MANAGER_ABOVE:
        above = direct_manager(session, direct_manager(session, submitter_id))
        found = [above] if above else []
    elif target.kind == DEPARTMENT_MANAGER:
        manager = session.scalar(
            sa.select(Department.manager_id).where(Department.id == target.department_id))
        found = [m for m in [_active(session, manager)] if m]
    elif target.kind == ROLE:
        found = list(session.scalars(
            sa.select(User.id).join(user_role, user_role.c.user_id == User.id)
            .where(user_role.c.role == target.role, User.division_id == division_id, User.active)
            .order_by(User.id)))
    elif target.kind == USER:
        found = [u for u in [_active(session, target.user_id)] if u]
    return [user for user in dict.fromkeys(found) if user != submitter_id]


def absent_for(session: Session, delegate_id: int, *, today: dt.date | None = None) -> list[int]:
    """The approvers `delegate_id` may act for today (an administrator's delegations)."""
    today = today or utcnow().date()
    return list(session.scalars(
        sa.select(ApprovalDelegation.user_id).where(
            ApprovalDelegation.delegate_id == delegate_id,
            ApprovalDelegation.date_from <= today, ApprovalDelegation.date_to >= today,
        ).distinct()
    ))


def department_id_by_code(session: Session, code: str, division_id: int | None) -> int | None:
    """The id of the department `code` in a division."""
    return session.scalar(sa.select(Department.id).where(
        Department.code == code, Department.division_id == division_id))


def user_id_by_login(session: Session, login: str) -> int | None:
    """The id of the user `login`."""
    return session.scalar(sa.select(User.id).where(User.login == login))


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Names of users in one query."""
    if not ids:
        return {}
    rows = session.execute(sa.select(User.id, User.name).where(User.id.in_(sorted(ids))))
    return {row[0]: row[1] for row in rows}
