"""Expiring agreements (协议到期提醒): a task for the agreement's owner, once, a month ahead."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.models import Agreement
from core.audit import Activity
from core.i18n import _
from core.models import Division
from core.orm import utcnow

AHEAD = dt.timedelta(days=30)


def remind_expiring(session: Session, division: Division) -> int:
    """One renewal task per agreement in force that ends within 30 days and has none open."""
    today = dt.date.today()
    table = Agreement.__tablename__
    open_task = sa.exists().where(Activity.model == table, Activity.res_id == Agreement.id,
                                  Activity.kind == "task", Activity.done.is_(False))
    due = session.execute(sa.select(Agreement.id, Agreement.number, Agreement.date_to,
                                    Agreement.owner_id)
                          .where(Agreement.division_id == division.id,
                                 Agreement.state == "approved",
                                 Agreement.date_to.between(today, today + AHEAD), ~open_task)
                          ).all()
    rows = [{"model": table, "res_id": row.id, "kind": "task", "assignee_id": row.owner_id,
             "due_date": max(row.date_to - dt.timedelta(days=7), today), "done": False,
             "summary": _("Agreement {number} ends on {date}: agree the renewal").format(
                 number=row.number or row.id, date=row.date_to.isoformat()),
             "create_date": utcnow()} for row in due]
    if rows:
        session.execute(sa.insert(Activity), rows)
    return len(rows)
