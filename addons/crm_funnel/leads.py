"""Leads (线索): routing by assignment rules, qualification (认定), the follow-up deadline.

A new lead entered by a rep stays the rep's. Any other new lead is routed by
the division's first matching rule (industry, region, product line) to a rep,
or to the next rep of a team in rotation, skipping reps who hold their cap of
open leads; with no rule or nobody free it waits in the lead pool (线索池)
where reps claim leads. An assigned lead must see a first activity within the
rule's days; the `overdue_leads` job flags those that did not and returns them
to the pool when the rule says so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Contact, Customer
from addons.crm_funnel.models import (
    ASSIGNED,
    CONVERTED,
    LEAD_STATES,
    POOL,
    REJECTED,
    Lead,
    LeadRule,
    Opportunity,
    SalesMode,
)
from addons.crm_funnel.pipeline import first_stage
from core.audit import Activity
from core.context import Actor, current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.models import Department, Division, Region, User, user_role
from core.org import SALES_REP, department_in
from core.orm import utcnow

DEFAULT_FOLLOW_UP_DAYS = 3


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


# --------------------------------------------------------------- routing


def _matches(session: Session, rule: LeadRule, lead: Lead) -> bool:
    if rule.industry_id is not None and rule.industry_id != lead.industry_id:
        return False
    if rule.product_line_id is not None and rule.product_line_id != lead.product_line_id:
        return False
    if rule.region_id is not None:
        if lead.region_id is None:
            return False
        area, place = session.get(Region, rule.region_id), session.get(Region, lead.region_id)
        if area is None or place is None or not place.path.startswith(area.path):
            return False
    return True


def open_leads(session: Session, user_ids: list[int]) -> dict[int, int]:
    """How many assigned, unqualified leads each user holds (one query)."""
    rows = session.execute(sa.select(Lead.owner_id, sa.func.count())
                           .where(Lead.owner_id.in_(user_ids), Lead.state == ASSIGNED)
                           .group_by(Lead.owner_id))
    return {row[0]: row[1] for row in rows if row[0] is not None}


def _team_reps(session: Session, department_id: int) -> list[int]:
    return list(session.scalars(
        sa.select(User.id).join(user_role, user_role.c.user_id == User.id)
        .where(User.department_id == department_id, User.active.is_(True),
               user_role.c.role == SALES_REP).order_by(User.id)))


def _pick(session: Session, rule: LeadRule) -> int | None:
    """The rep `rule` gives the next lead to, or None when everybody is at the cap."""
    candidates = [rule.user_id] if rule.user_id is not None else (
        _team_reps(session, rule.team_id) if rule.team_id is not None else [])
    if not candidates:
        return None
    if rule.last_user_id in candidates:  # rotation: start after the last one served
        start = candidates.index(rule.last_user_id) + 1
        candidates = candidates[start:] + candidates[:start]
    held = open_leads(session, candidates) if rule.cap else {}
    for user_id in candidates:
        if not rule.cap or held.get(user_id, 0) < rule.cap:
            return user_id
    return None


def route(session: Session, lead: Lead) -> LeadRule | None:
    """Give `lead` to the rep of the first matching rule that has room; return the rule."""
    with system_context():
        rules = session.scalars(sa.select(LeadRule).where(
            LeadRule.division_id == lead.division_id, LeadRule.active.is_(True))
            .order_by(LeadRule.sequence, LeadRule.id)
            .execution_options(populate_existing=True))
        for rule in rules:
            if not _matches(session, rule, lead):
                continue
            user_id = _pick(session, rule)
            if user_id is None:
                continue
            # A plain UPDATE: whoever enters the lead moves the rotation on.
            session.execute(sa.update(LeadRule).where(LeadRule.id == rule.id)
                            .values(last_user_id=user_id, version=LeadRule.version + 1))
            assign(session, lead, user_id, days=rule.follow_up_days)
            return rule
    return None


def assign(session: Session, lead: Lead, user_id: int, *, days: int | None = None) -> None:
    """Make `user_id` the lead's owner with a follow-up deadline `days` ahead."""
    lead.owner_id = user_id
    lead.department_id = department_in(session, user_id, lead.division_id)
    lead.state = ASSIGNED
    lead.assigned_at = utcnow()
    lead.deadline = dt.date.today() + dt.timedelta(days=days or DEFAULT_FOLLOW_UP_DAYS)
    lead.overdue = False


def route_new(session: Session, lead: Lead) -> None:
    """Route a new lead: a rep's own stays theirs, others go by the rules or to the pool."""
    actor = current_actor()
    if lead.state not in (None, POOL):
        return
    if lead.owner_id is not None and (lead.owner_id != actor.user_id or SALES_REP in actor.roles):
        # A rep's own lead, or one a manager gave to somebody on entry.
        assign(session, lead, lead.owner_id)
        return
    lead.owner_id = None
    lead.state = POOL
    route(session, lead)


def route_leads(session: Session, records: list[Any]) -> None:
    """New leads are routed on every path that saves them (kehu_prepare_records)."""
    for record in records:
        if isinstance(record, Lead) and record in session.new:
            route_new(session, record)


# ----------------------------------------------------------- lead actions


def _require(lead: Lead, *states: str) -> None:
    if lead.state not in states:
        label = dict(LEAD_STATES).get(lead.state, lead.state)
        raise ValidationError(_("This lead is {state}: the action does not apply.").format(
            state=str(label).lower()))


def assign_action(session: Session, lead: Lead, actor: Actor, values: dict[str, Any]) -> str:
    """A manager gives the lead to a rep."""
    _require(lead, POOL, ASSIGNED)
    with system_context():
        user = session.get(User, values["user"])
    if user is None or user.division_id != lead.division_id:
        raise _refuse("user", _("Choose a user of the lead's division."))
    assign(session, lead, user.id, days=values.get("days"))
    return _("The lead is assigned to {name}.").format(name=user.name)


def claim(session: Session, lead: Lead, actor: Actor, values: dict[str, Any]) -> str:
    """A rep takes a lead from the pool."""
    _require(lead, POOL)
    assert actor.user_id is not None
    assign(session, lead, actor.user_id)
    return _("The lead is yours: follow it up by {date}.").format(date=lead.deadline)


def return_to_pool(session: Session, lead: Lead, actor: Actor, values: dict[str, Any]) -> str:
    """Put the lead back in the pool for marketing to nurture and reps to claim."""
    _require(lead, ASSIGNED)
    lead.owner_id = None
    lead.state = POOL
    lead.deadline = None
    return _("The lead is back in the pool.")


def reject(session: Session, lead: Lead, actor: Actor, values: dict[str, Any]) -> str:
    """The manager rejects the lead; a reason is required."""
    _require(lead, POOL, ASSIGNED)
    reason = (values.get("reason") or "").strip()
    if not reason:
        raise _refuse("reason", _("Say why the lead is rejected."))
    lead.state = REJECTED
    lead.reject_reason = reason
    return _("The lead is rejected.")


def _customer_for(session: Session, lead: Lead) -> Customer:
    if lead.customer_id is not None:
        customer = session.get(Customer, lead.customer_id)
        if customer is None:
            raise _refuse("customer_id", _("The record does not exist or you may not see it."))
        return customer
    with system_context():  # the same company entered twice is linked, not duplicated
        existing = session.scalar(sa.select(Customer.id).where(
            Customer.division_id == lead.division_id, Customer.name == lead.company).limit(1))
    if existing is not None:
        # Linked only if the qualifier may read it: a deal must not point at, nor the
        # answer name, a customer the rules hide (#13). A statement, not session.get:
        # the identity map would skip the record rules.
        customer = session.scalars(sa.select(Customer).where(Customer.id == existing)).first()
        if customer is None:
            raise _refuse("company", _("A customer with this company name already exists in "
                                       "the division and is not yours to see: ask your "
                                       "manager to link the lead to it."))
        return customer
    customer = Customer(division_id=lead.division_id, name=lead.company,
                        code=f"XS{lead.id:06d}", phone=lead.phone, owner_id=lead.owner_id,
                        department_id=lead.department_id, region_id=lead.region_id,
                        product_line_id=lead.product_line_id, industry_id=lead.industry_id,
                        source_id=lead.source_id)
    session.add(customer)
    session.flush()
    return customer


def qualify(session: Session, lead: Lead, actor: Actor, values: dict[str, Any]) -> str:
    """Convert the lead (认定): link or create the customer and contact, open the opportunity."""
    _require(lead, ASSIGNED)
    mode = session.get(SalesMode, values["sales_mode"])
    if mode is None or mode.division_id not in (None, lead.division_id):
        raise _refuse("sales_mode", _("Choose a sales mode of the lead's division."))
    stage = first_stage(session, mode.id)
    if stage is None:
        raise _refuse("sales_mode", _("This sales mode has no active stage."))
    customer = _customer_for(session, lead)
    if lead.contact_name:
        with system_context():
            known = session.scalar(sa.select(Contact.id).where(
                Contact.customer_id == customer.id, Contact.name == lead.contact_name))
        if known is None:
            session.add(Contact(division_id=lead.division_id, customer_id=customer.id,
                                name=lead.contact_name, mobile=lead.phone))
    deal = Opportunity(division_id=lead.division_id, name=lead.name, customer_id=customer.id,
                       sales_mode_id=mode.id, stage_id=stage.id,
                       amount=values.get("amount") or lead.amount or Decimal(0),
                       expected_close=values["expected_close"], owner_id=lead.owner_id,
                       department_id=lead.department_id, region_id=lead.region_id,
                       product_line_id=lead.product_line_id)
    session.add(deal)
    session.flush()
    lead.customer_id = customer.id
    lead.opportunity_id = deal.id
    lead.state = CONVERTED
    return _("Opportunity {name} opened for {customer}.").format(name=deal.name,
                                                                 customer=customer.name)


# ------------------------------------------------------------------- job


def flag_overdue(session: Session, division: Division) -> int:
    """Flag assigned leads past their deadline without any activity; some go back to the pool.

    Returns how many leads changed. The manager of the lead's team gets a task
    on the lead; it returns to the pool when the rule of its rep or team says so.
    """
    today = dt.date.today()
    # A person's activity since the assignment; the job's own reminders do not count.
    touched = sa.select(Activity.res_id).where(Activity.model == Lead.__tablename__,
                                               Activity.create_date >= Lead.assigned_at,
                                               Activity.res_id == Lead.id,
                                               Activity.create_uid.is_not(None))
    late = list(session.scalars(sa.select(Lead).where(
        Lead.division_id == division.id, Lead.state == ASSIGNED, Lead.overdue.is_(False),
        Lead.deadline < today, ~sa.exists(touched))))
    reps, teams = _returning_owners(session, division.id)
    _remind_managers(session, late, today)
    for lead in late:
        lead.overdue = True
        if lead.owner_id in reps or lead.department_id in teams:
            lead.owner_id = None
            lead.state = POOL
            lead.deadline = None
    return len(late)


def _managers(session: Session, department_ids: set[int]) -> dict[int, int]:
    """The manager of each department, or of the nearest department above that has one."""
    found: dict[int, int] = {}
    for department_id in department_ids:
        current = session.get(Department, department_id)
        while current is not None and current.manager_id is None and current.parent_id:
            current = session.get(Department, current.parent_id)
        if current is not None and current.manager_id is not None:
            found[department_id] = current.manager_id
    return found


def _remind_managers(session: Session, late: list[Lead], today: dt.date) -> None:
    """A task for the manager of each overdue lead's team, on the lead (its chatter)."""
    managers = _managers(session, {lead.department_id for lead in late if lead.department_id})
    rows = [{"model": Lead.__tablename__, "res_id": lead.id, "kind": "task", "due_date": today,
             "summary": _("Lead overdue without follow-up: {name}").format(name=lead.name)[:255],
             "assignee_id": managers[lead.department_id], "done": False,
             "create_date": utcnow()}
            for lead in late if lead.department_id in managers]
    if rows:
        session.execute(sa.insert(Activity), rows)


def _returning_owners(session: Session, division_id: int) -> tuple[set[int], set[int]]:
    """Reps and teams whose rules send overdue leads back to the pool."""
    rules = session.execute(sa.select(LeadRule.user_id, LeadRule.team_id).where(
        LeadRule.division_id == division_id, LeadRule.return_to_pool.is_(True),
        LeadRule.active.is_(True)))
    reps: set[int] = set()
    teams: set[int] = set()
    for user_id, team_id in rules:
        if user_id is not None:
            reps.add(user_id)
        if team_id is not None:
            teams.add(team_id)
    return reps, teams
