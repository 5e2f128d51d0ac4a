"""Checks of expense documents: periods, links, type limits and budgets (named per line)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from core.context import current_actor, system_context
from core.errors import ValidationError
from core.fields import display_text
from core.i18n import _
from core.org import department_in

# Claims whose lines count against a budget: everything handed in and not sent back.
SPENDING_STATES = ("submitted", "approved", "paid")


def _session(record: Any) -> Session:
    session = object_session(record)
    assert session is not None, "checked while in a session (before flush, or a guard)"
    return session


def fill_person(record: Any, column: str) -> None:
    """A new document belongs to the acting user and their department unless given."""
    actor = current_actor()
    if getattr(record, column) is None and actor.user_id is not None:
        setattr(record, column, actor.user_id)
    person = getattr(record, column)
    if record.department_id is None and person is not None:
        record.department_id = department_in(_session(record), person, record.division_id)


def _check_period(record: Any, errors: dict[str, str]) -> None:
    if record.date_from and record.date_to and record.date_to < record.date_from:
        errors["date_to"] = _("The period ends before it starts.")


def _check_links(record: Any, errors: dict[str, str], prefix: str = "") -> None:
    from addons.crm_expense.links import unknown_links

    for name, message in unknown_links(_session(record), record).items():
        errors[prefix + name] = message


def _tied(budget: Any) -> bool:
    """A request tied to another document through a bridge (its deal: crm_expense_funnel)."""
    from addons.crm_expense.links import targets

    division_id = budget.division_id or current_actor().division_id
    with _session(budget).no_autoflush:
        return id(budget) in targets(_session(budget), [budget], division_id)


def check_budget(budget: Any) -> None:
    """An expense request needs a positive amount, a period and something it is for."""
    errors: dict[str, str] = {}
    _check_period(budget, errors)
    if budget.amount is not None and budget.amount <= 0:
        errors["amount"] = _("Enter an amount above zero.")
    if budget.customer_id is None and budget.campaign_id is None and not _tied(budget):
        errors["customer_id"] = _("Name the customer, opportunity or campaign the money is for.")
    _check_links(budget, errors)
    if errors:
        raise ValidationError(_("Please correct the marked fields."), fields=errors)


def _spent_elsewhere(session: Session, budget_ids: set[int], claim_id: int | None) -> dict[int, Decimal]:
    """What other handed-in claims spent on each budget (all claims, whoever may see them)."""
    from addons.crm_expense.models import ExpenseClaim, ExpenseClaimLine

    if not budget_ids:
        return {}
    with system_context(), session.no_autoflush:
        rows = session.execute(
            sa.select(ExpenseClaimLine.budget_id, sa.func.sum(ExpenseClaimLine.amount))
            .join(ExpenseClaim, ExpenseClaim.id == ExpenseClaimLine.claim_id)
            .where(ExpenseClaimLine.budget_id.in_(sorted(budget_ids)),
                   ExpenseClaim.state.in_(SPENDING_STATES),
                   ExpenseClaim.id != (claim_id or 0))
            .group_by(ExpenseClaimLine.budget_id))
        return {int(row[0]): row[1] or Decimal("0") for row in rows if row[0] is not None}


def _line_name(index: int, line: Any, type_name: str) -> str:
    return _("Line {number} ({date}, {type}, {amount})").format(
        number=index, date=line.date.isoformat() if line.date else "", type=type_name,
        amount=line.amount)


def _over_limits(session: Session, claim: Any) -> dict[str, str]:
    """Lines above their type's limit or their budget's remainder without a justification."""
    from addons.crm_expense.models import ExpenseBudget, ExpenseType

    with system_context(), session.no_autoflush:
        types = {t.id: t for t in session.scalars(sa.select(ExpenseType).where(
            ExpenseType.id.in_({line.type_id for line in claim.lines if line.type_id})))}
        budgets = {b.id: b for b in session.scalars(sa.select(ExpenseBudget).where(
            ExpenseBudget.id.in_({line.budget_id for line in claim.lines if line.budget_id})))}
    remaining = {key: budget.amount for key, budget in budgets.items()}
    for key, spent in _spent_elsewhere(session, set(budgets), claim.id).items():
        remaining[key] -= spent
    errors: dict[str, str] = {}
    for index, line in enumerate(claim.lines, start=1):
        kind = types.get(line.type_id)
        name = _line_name(index, line, display_text(ExpenseType, kind.name) if kind else "")
        justified = bool((line.justification or "").strip())
        amount = line.amount or Decimal("0")
        if kind is not None and kind.limit_amount is not None and amount > kind.limit_amount \
                and not justified:
            errors[f"lines.{index}.justification"] = _(
                "{line} is above the limit of {limit} for {type}: give a justification."
            ).format(line=name, limit=kind.limit_amount, type=display_text(ExpenseType, kind.name))
        if line.budget_id in remaining:
            remaining[line.budget_id] -= amount
            if remaining[line.budget_id] < 0 and not justified:
                errors[f"lines.{index}.justification"] = _(
                    "{line} goes over its expense request '{budget}': give a justification."
                ).format(line=name, budget=budgets[line.budget_id].purpose)
    return errors


def _line_basics(claim: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    for index, line in enumerate(claim.lines, start=1):
        if line.amount is not None and line.amount <= 0:
            errors[f"lines.{index}.amount"] = _("Line {number}: enter an amount above zero.").format(
                number=index)
        if line.date and claim.date_from and claim.date_to and not (
                claim.date_from <= line.date <= claim.date_to):
            errors[f"lines.{index}.date"] = _(
                "Line {number}: the date {date} is outside the claim's period.").format(
                number=index, date=line.date.isoformat())
    return errors


def check_claim(claim: Any) -> None:
    """Raise ValidationError naming every line that is wrong."""
    session = _session(claim)
    errors: dict[str, str] = {}
    _check_period(claim, errors)
    errors.update(_line_basics(claim))
    for index, line in enumerate(claim.lines, start=1):
        _check_links(line, errors, prefix=f"lines.{index}.")
    errors.update(_over_limits(session, claim))
    if errors:
        first = next(iter(errors.values()))
        raise ValidationError(first if len(errors) == 1 else
                              _("Please correct the marked lines: {first}").format(first=first),
                              fields=errors)


def ready_to_submit(claim: Any, _actor: Any = None) -> str | None:
    """Guard of `submit`: a claim needs lines, and every line must pass the checks."""
    if not claim.lines:
        return _("Add at least one expense line before submitting.")
    try:
        check_claim(claim)
    except ValidationError as error:
        return error.message
    return None


def _touched(records: list[Any]) -> tuple[set[Any], set[Any]]:
    """Claims and requests new or changed in this flush (a changed line counts for its claim)."""
    from addons.crm_expense.models import ExpenseBudget, ExpenseClaim, ExpenseClaimLine

    claims: set[Any] = set()
    budgets: set[Any] = set()
    for record in records:
        if isinstance(record, ExpenseClaim):
            claims.add(record)
        elif isinstance(record, ExpenseClaimLine) and record.claim is not None:
            claims.add(record.claim)
        elif isinstance(record, ExpenseBudget):
            budgets.add(record)
    return claims, budgets


def _editing(record: Any) -> bool:
    """A draft being edited (not a transition: those have their own guard)."""
    if record.state not in (None, "draft"):
        return False
    return not sa.inspect(record).attrs.state.history.deleted


def _check_lines_unlocked(session: Session, lines: list[Any]) -> None:
    """Lines of a claim handed in are as locked as the claim (also edited on their own)."""
    from addons.crm_expense.models import ExpenseClaimLine

    if current_actor().system:
        return
    for line in lines:
        if isinstance(line, ExpenseClaimLine) and line.claim is not None \
                and line.claim.state not in (None, "draft") and session.is_modified(line):
            message = _("The claim has been handed in: its lines cannot be changed.")
            raise ValidationError(message, fields={"lines": message})


def prepare(session: Session, records: list[Any], deleted: list[Any]) -> None:
    """Fill the person, total the lines and check drafts, on every path that writes
    (kehu_prepare_records)."""
    _check_lines_unlocked(session, [*records, *deleted])
    claims, budgets = _touched(records)
    for budget in budgets:
        fill_person(budget, "requester_id")
        if _editing(budget):
            check_budget(budget)
    for claim in claims:
        fill_person(claim, "claimant_id")
        if _editing(claim):
            claim.compute()
            check_claim(claim)
