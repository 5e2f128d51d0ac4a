"""Closing a deal: won creates the contract, lost needs a reason (and who won it).

These are the handlers of the opportunity's record actions (form buttons and
`POST /api/v1/crm_opportunity/<id>/actions/<key>`); they run in the caller's
transaction with the record loaded through the record rules.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_funnel.models import (
    APPROVED,
    LOST,
    OPEN,
    WON,
    CompetitorCompany,
    Contract,
    ContractLine,
    LostReason,
    Opportunity,
    Quote,
    Stage,
)
from addons.crm_funnel.pipeline import CLOSING, final_stage
from core.context import Actor, system_context
from core.errors import ValidationError
from core.i18n import _


@contextlib.contextmanager
def closing(session: Session) -> Iterator[None]:
    """Let the flushes in the block change a deal's status (only these actions may)."""
    session.info[CLOSING] = True
    try:
        yield
    finally:
        session.info.pop(CLOSING, None)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def _require_open(record: Opportunity) -> None:
    if record.state != OPEN:
        raise ValidationError(_("This opportunity is closed already."))


def next_contract_number(session: Session, division_id: int, day: dt.date) -> str:
    """HT-<yyyymm>-<n>: the next free number of the month in the division."""
    prefix = f"HT-{day:%Y%m}-"
    numbers = session.scalars(sa.select(Contract.number).where(
        Contract.division_id == division_id, Contract.number.startswith(prefix)))
    taken = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
    return f"{prefix}{max(taken, default=0) + 1:04d}"


def _quote_for(session: Session, record: Opportunity, quote_id: int | None) -> Quote | None:
    if quote_id is not None:
        quote = session.get(Quote, quote_id)
        if quote is None or quote.opportunity_id != record.id:
            raise _refuse("quote", _("Choose a quote of this opportunity."))
    else:
        quote = session.scalars(
            sa.select(Quote).where(Quote.opportunity_id == record.id, Quote.state == APPROVED)
            .order_by(Quote.quote_date.desc(), Quote.id.desc()).limit(1)).first()
    if quote is not None and quote.state != APPROVED:
        raise _refuse("quote", _("Quote {number} is not approved yet.").format(number=quote.number))
    return quote


def close_won(session: Session, record: Opportunity, actor: Actor,
              values: dict[str, Any]) -> str:
    """Mark the deal won, move it to the final stage and create its contract.

    The contract takes the lines of the chosen (or latest approved) quote of the
    deal; without one it has a single line for the deal's amount.
    """
    _require_open(record)
    signed_on = values.get("signed_on") or dt.date.today()
    quote = _quote_for(session, record, values.get("quote"))
    number = (values.get("number") or "").strip() or next_contract_number(
        session, record.division_id, signed_on)
    contract = Contract(
        division_id=record.division_id, number=number, opportunity_id=record.id,
        customer_id=record.customer_id, quote_id=quote.id if quote else None, signed_on=signed_on,
        owner_id=record.owner_id, department_id=record.department_id,
        region_id=record.region_id, product_line_id=record.product_line_id)
    if quote is not None:
        contract.lines = [ContractLine(division_id=record.division_id, product_id=line.product_id,
                                       quantity=line.quantity, price=line.price)
                          for line in quote.lines]
    else:
        contract.lines = [ContractLine(division_id=record.division_id, description=record.name,
                                       quantity=1, price=record.amount)]
    contract.compute()
    stage = final_stage(session, record.sales_mode_id)
    try:
        with closing(session):
            session.add(contract)
            record.state = WON
            record.closed_on = signed_on
            record.probability = 100
            record.amount = contract.amount
            if stage is not None:
                record.stage_id = stage.id
            session.flush()
    except sa.exc.IntegrityError:
        raise _refuse("number", _("Contract number {number} is taken.").format(number=number)) from None
    return _("Won: contract {number} for {amount} created.").format(
        number=number, amount=f"{contract.amount:,.2f}")


def close_lost(session: Session, record: Opportunity, actor: Actor,
               values: dict[str, Any]) -> str:
    """Mark the deal lost: a reason is required, and the winner when it went to a competitor."""
    _require_open(record)
    reason = session.get(LostReason, values["reason"]) if values.get("reason") else None
    if reason is None:
        raise _refuse("reason", _("Say why the opportunity was lost."))
    competitor_id = values.get("competitor")
    if competitor_id is not None and session.get(CompetitorCompany, competitor_id) is None:
        raise _refuse("competitor", _("The record does not exist or you may not see it."))
    if reason.code == "competitor" and competitor_id is None:
        raise _refuse("competitor", _("Name the competitor that won."))
    with closing(session):
        record.state = LOST
        record.lost_reason_id = reason.id
        record.won_competitor_id = competitor_id
        record.lost_note = values.get("note") or record.lost_note
        record.closed_on = dt.date.today()
        record.probability = 0
        session.flush()
    return _("The opportunity is closed as lost ({reason}).").format(reason=reason.name)


def reopen(session: Session, record: Opportunity, actor: Actor, values: dict[str, Any]) -> str:
    """Open a lost deal again, at its stage and the stage's probability."""
    if record.state != LOST:
        raise ValidationError(_("Only a lost opportunity can be reopened."))
    stage = session.get(Stage, record.stage_id)
    with closing(session):
        record.state = OPEN
        record.closed_on = None
        record.lost_reason_id = None
        record.won_competitor_id = None
        record.probability = stage.probability if stage is not None else 0
        session.flush()
    return _("The opportunity is open again.")



def won_amounts(session: Session, division_id: int, date_from: dt.date,
                date_to: dt.date) -> list[tuple[int | None, int | None, Decimal]]:
    """Deals won in the period (closed on = the contract's signing date, amount = the
    contract's), summed per owner and customer in SQL. As the system: incentive
    accruals cover every rep of the division."""
    with system_context():
        rows = session.execute(
            sa.select(Opportunity.owner_id, Opportunity.customer_id,
                      sa.func.sum(Opportunity.amount))
            .where(Opportunity.division_id == division_id, Opportunity.state == WON,
                   Opportunity.closed_on >= date_from, Opportunity.closed_on <= date_to)
            .group_by(Opportunity.owner_id, Opportunity.customer_id))
        return [(row[0], row[1], row[2] or Decimal("0.00")) for row in rows]
