"""The public pool (公海): claiming, assigning, releasing, and the rules that return customers.

A customer without an owner sits in its division's pool. Reps claim pool
customers within their role's daily limit; managers assign customers to reps;
the division's pool rules, run by a periodic job, return customers whose owner
left or that nobody followed up for N days, keeping the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import ClaimLimit, Customer, PoolClaim, PoolRule
from core.audit import Activity, record_changes
from core.context import Actor
from core.errors import AccessDenied, ValidationError
from core.i18n import _
from core.models import Division, User
from core.org import ADMIN, GENERAL_MANAGER, SALES_MANAGER, department_in
from core.orm import utcnow
from core.reassign import reassign

# Who may release or assign customers that are not their own.
MANAGERS = frozenset({ADMIN, SALES_MANAGER, GENERAL_MANAGER})
# Claim limits count per business day, in China's time zone.
BUSINESS_TIME = ZoneInfo("Asia/Shanghai")


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def start_of_business_day(now: dt.datetime | None = None) -> dt.datetime:
    """Midnight of today in China, as naive UTC (how dates are stored)."""
    utc = (now or utcnow()).replace(tzinfo=dt.UTC)
    local = utc.astimezone(BUSINESS_TIME)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(dt.UTC).replace(tzinfo=None)


def daily_limit(session: Session, actor: Actor) -> int | None:
    """The most generous claim limit of the actor's roles in their division (None: no limit set)."""
    limits = list(session.scalars(sa.select(ClaimLimit.daily_limit).where(
        ClaimLimit.division_id == actor.division_id, ClaimLimit.role.in_(sorted(actor.roles)))))
    return max(limits) if limits else None


def claims_today(session: Session, actor: Actor) -> int:
    """How many pool customers the actor claimed since midnight."""
    return session.scalar(sa.select(sa.func.count()).select_from(PoolClaim).where(
        PoolClaim.user_id == actor.user_id,
        PoolClaim.claimed_at >= start_of_business_day())) or 0


def _give(session: Session, customer: Customer, user_id: int) -> None:
    customer.owner_id = user_id
    customer.department_id = department_in(session, user_id, customer.division_id)
    customer.owner_since = utcnow()
    customer.pool_reason = None
    customer.pool_date = None


def claim(session: Session, customer: Customer, actor: Actor, values: dict[str, Any]) -> str:
    """Take a pool customer as one's own, within the daily limit of one's roles."""
    if customer.owner_id is not None:
        raise _refuse("owner_id", _("This customer is not in the pool: it has an owner."))
    limit = daily_limit(session, actor)
    if limit is not None and claims_today(session, actor) >= limit:
        raise _refuse("owner_id", _("You have claimed {limit} customers today, the most your "
                                    "role may claim in a day.").format(limit=limit))
    _give(session, customer, actor.user_id)  # type: ignore[arg-type]
    session.add(PoolClaim(customer_id=customer.id, user_id=actor.user_id,
                          division_id=customer.division_id))
    session.flush()
    return _("{name} is now your customer.").format(name=customer.name)


def _active_user(session: Session, user_id: int, division_id: int, field: str) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active or user.division_id != division_id:
        raise _refuse(field, _("Choose an active user of the customer's division."))
    return user


def assign(session: Session, customer: Customer, actor: Actor, values: dict[str, Any]) -> str:
    """A manager gives a customer (from the pool or not) to a rep."""
    rep = _active_user(session, int(values["owner"]), customer.division_id, "owner")
    _give(session, customer, rep.id)
    session.flush()
    return _("{name} is assigned to {rep}.").format(name=customer.name, rep=rep.name)


def release(session: Session, customer: Customer, actor: Actor, values: dict[str, Any]) -> str:
    """Put a customer back into the pool, saying why."""
    if customer.owner_id is None:
        raise _refuse("owner_id", _("This customer is already in the pool."))
    if customer.owner_id != actor.user_id and not actor.roles & MANAGERS:
        raise AccessDenied(_("Only the owner or a manager may put a customer back into the pool."))
    reason = str(values.get("reason") or "").strip()
    if not reason:
        raise _refuse("reason", _("This field is required."))
    customer.owner_id = None
    customer.owner_since = None
    customer.pool_reason = reason[:255]
    customer.pool_date = utcnow()
    session.flush()
    return _("{name} is back in the public pool.").format(name=customer.name)


def hand_over(session: Session, customer: Customer, actor: Actor, values: dict[str, Any]) -> str:
    """Give every customer of this customer's owner to another user (a rep leaves)."""
    if customer.owner_id is None:
        raise _refuse("to_user", _("This customer has no owner to hand over."))
    moved = reassign(session, Customer, from_user_id=customer.owner_id,
                     to_user_id=int(values["to_user"]), reason=str(values.get("reason") or ""))
    return _("{count} customers handed over.").format(count=moved)


# ------------------------------------------------------------- pool rules


def _last_follow_up() -> sa.ScalarSelect[Any]:
    """The latest activity planned or done on a customer (a correlated subquery)."""
    latest = sa.func.max(sa.func.coalesce(Activity.done_date, Activity.create_date))
    return (sa.select(latest)
            .where(Activity.model == Customer.__tablename__, Activity.res_id == Customer.id)
            .scalar_subquery())


def _stale(rule: PoolRule, now: dt.datetime) -> sa.ColumnElement[bool]:
    limit = now - dt.timedelta(days=rule.days or 0)
    since = sa.func.coalesce(Customer.owner_since, Customer.create_date)
    last = _last_follow_up()
    return sa.and_(since < limit, sa.or_(last.is_(None), last < limit))


def _owner_left() -> sa.ColumnElement[bool]:
    return Customer.owner_id.in_(sa.select(User.id).where(User.active.is_(False)))


def _rule_reason(rule: PoolRule) -> str:
    if rule.kind == "owner_left":
        return _("Pool rule: the owner has left")
    return _("Pool rule: no follow-up for {days} days").format(days=rule.days)


def apply_rule(session: Session, division_id: int, rule: PoolRule, *,
               now: dt.datetime | None = None) -> int:
    """Return to the pool the division's customers that `rule` catches; keep the reason."""
    now = now or utcnow()
    if rule.kind == "no_follow_up" and not rule.days:
        return 0
    condition = _owner_left() if rule.kind == "owner_left" else _stale(rule, now)
    levels = [level for level in (rule.levels or "").upper() if level in "ABCD"]
    statement = sa.select(Customer.id, Customer.owner_id).where(
        Customer.division_id == division_id, Customer.owner_id.is_not(None), condition)
    if levels:
        statement = statement.where(Customer.level.in_(levels))
    caught = session.execute(statement).all()
    if not caught:
        return 0
    reason = _rule_reason(rule)
    ids = [row.id for row in caught]
    for start in range(0, len(ids), 1000):
        session.execute(
            sa.update(Customer).where(Customer.id.in_(ids[start:start + 1000]))
            .values(owner_id=None, owner_since=None, pool_reason=reason, pool_date=now,
                    version=Customer.version + 1),
            execution_options={"synchronize_session": False})
    record_changes(session, Customer, [(row.id, "owner_id", row.owner_id, None) for row in caught],
                   reason=reason)
    return len(caught)


def return_to_pool(session: Session, division: Division) -> int:
    """The periodic job: apply the division's active pool rules; how many customers returned."""
    rules = list(session.scalars(sa.select(PoolRule).where(
        PoolRule.division_id == division.id, PoolRule.active.is_(True)).order_by(PoolRule.id)))
    rules.sort(key=lambda rule: rule.kind != "owner_left")  # the plainer reason first
    return sum(apply_rule(session, division.id, rule) for rule in rules)
