"""Weekly forecast snapshots, and sales targets split down the organisation tree (指标).

`take_snapshot` is the `forecast_snapshot` job: once a week (or whenever cron
runs it) it keeps, per owner and closing month, what the open pipeline and the
weighted forecast were that day, so that the forecast-accuracy report can set
them against what was won.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_funnel.models import OPEN, ForecastSnapshot, Opportunity, SalesTarget
from core.context import Actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.models import Department, Division, User, user_role
from core.org import SALES_REP
from core.reports import month

SNAPSHOT_EVERY = dt.timedelta(days=7)


def take_snapshot(session: Session, division: Division, *, today: dt.date | None = None) -> int:
    """Keep today's forecast per owner and closing month; skipped within a week of the last.

    One GROUP BY reads the open deals; the rows go in one executemany. Returns
    how many snapshot rows were written.
    """
    today = today or dt.date.today()
    last = session.scalar(sa.select(sa.func.max(ForecastSnapshot.taken_on))
                          .where(ForecastSnapshot.division_id == division.id))
    if last is not None and today - last < SNAPSHOT_EVERY:
        return 0
    bucket = month(Opportunity.expected_close)
    rows = session.execute(
        sa.select(Opportunity.owner_id, Opportunity.department_id, bucket, sa.func.count(),
                  sa.func.sum(sa.type_coerce(Opportunity.amount, sa.BigInteger)),
                  sa.func.sum(sa.type_coerce(Opportunity.amount, sa.BigInteger)
                              * Opportunity.probability))
        .where(Opportunity.division_id == division.id, Opportunity.state == OPEN)
        .group_by(Opportunity.owner_id, Opportunity.department_id, bucket))
    values = [{"division_id": division.id, "taken_on": today,
               "month": dt.date(int(text[:4]), int(text[5:7]), 1), "owner_id": owner,
               "department_id": department, "opportunities": count,
               "pipeline": Decimal(int(fen or 0)) / 100,
               "weighted": (Decimal(int(weighted or 0)) / 10000).quantize(Decimal("0.01")),
               "version": 1}
              for owner, department, text, count, fen, weighted in rows]
    if values:
        session.execute(sa.insert(ForecastSnapshot), values)
    return len(values)


# ------------------------------------------------------------------ targets


def _children(session: Session, target: SalesTarget) -> list[dict[str, Any]]:
    """Where a target splits to: the sub-departments, else the department's reps."""
    if target.user_id is not None:
        return []
    departments = list(session.scalars(sa.select(Department.id).where(
        Department.parent_id == target.department_id, Department.active.is_(True))
        .order_by(Department.code)))
    if departments:
        return [{"department_id": d, "user_id": None} for d in departments]
    with system_context():
        reps = list(session.scalars(
            sa.select(User.id).join(user_role, user_role.c.user_id == User.id)
            .where(User.department_id == target.department_id, User.active.is_(True),
                   user_role.c.role == SALES_REP).order_by(User.id)))
    return [{"department_id": target.department_id, "user_id": r} for r in reps]


def split(session: Session, target: SalesTarget, actor: Actor, values: dict[str, Any]) -> str:
    """Split a department's target evenly down one level (sub-departments, else reps).

    The fen that do not divide evenly go to the first children, so the parts
    add up to the target exactly. Splitting again replaces the earlier split.
    """
    if target.department_id is None:
        raise ValidationError(_("Only a department's target can be split."))
    children = _children(session, target)
    if not children:
        message = _("This department has neither sub-departments nor reps to split to.")
        raise ValidationError(message, fields={"department_id": message})
    for old in session.scalars(sa.select(SalesTarget).where(SalesTarget.parent_id == target.id)):
        session.delete(old)
    total_fen = int(target.amount * 100)
    share, rest = divmod(total_fen, len(children))
    for index, child in enumerate(children):
        fen = share + (1 if index < rest else 0)
        session.add(SalesTarget(division_id=target.division_id, parent_id=target.id,
                                period_start=target.period_start, period_end=target.period_end,
                                amount=Decimal(fen) / 100, **child))
    session.flush()
    return _("The target is split into {count} parts.").format(count=len(children))


def check_target(target: SalesTarget) -> None:
    """A target covers a period and belongs to a department or a rep."""
    if target.period_end is not None and target.period_start is not None \
            and target.period_end < target.period_start:
        message = _("The period ends before it starts.")
        raise ValidationError(message, fields={"period_end": message})
    if target.department_id is None and target.user_id is None:
        message = _("Give the target to a department or a rep.")
        raise ValidationError(message, fields={"department_id": message})


def check_targets(records: list[Any]) -> None:
    """Every target saved covers a period and has an owner (kehu_prepare_records)."""
    for record in records:
        if isinstance(record, SalesTarget):
            check_target(record)
