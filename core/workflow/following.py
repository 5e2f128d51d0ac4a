"""Approvals follow the organisation (#13): when people, roles or departments change,
the undecided steps of open rounds are resolved again in the same transaction.

`decide` resolves its step again too, so even a change written around the ORM
cannot let a former approver decide; this listener keeps the inbox, the workbench
counts, notifications and the approvers' read scope current meanwhile. Delegations
need nothing here: they are read when used.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.models import Department, User

# What an approval step's resolution reads.
WATCHED = {
    User: ("manager_id", "department_id", "division_id", "active", "roles"),
    Department: ("manager_id", "parent_id", "division_id", "active"),
}
ORG_CHANGED = "kehu_org_changed"


def _changes_org(session: Session) -> bool:
    for record in [*session.new, *session.deleted]:
        if type(record) in WATCHED:
            return True
    for record in session.dirty:
        keys = WATCHED.get(type(record))
        if keys and any(sa.inspect(record).attrs[key].history.has_changes() for key in keys):
            return True
    return False


@sa.event.listens_for(Session, "before_flush")
def _note_org_change(session: Session, _context: Any, _instances: Any) -> None:
    if _changes_org(session):
        session.info[ORG_CHANGED] = True


@sa.event.listens_for(Session, "after_flush_postexec")
def _follow_org(session: Session, _context: Any) -> None:
    if session.info.pop(ORG_CHANGED, False):
        from core.workflow.rounds import refresh_approvers

        refresh_approvers(session)
