"""Campaigns, deals and won contracts an expense may be tied to, when their addons are there.

crm_expense depends on neither crm_funnel nor crm_marketing, and names none of their
tables. Through crm_expense's own hooks (hookspecs.py), only of addons enabled in the
division:
- a campaign is a plain integer id (`campaign_id`) whose model crm_marketing gives
  (`kehu_extra_expense_links`);
- the deal of a request or claim line is the bridge crm_expense_funnel's own reference
  column; the bridge tells what a record is for (`kehu_extra_expense_targets`);
- crm_funnel gives the contract amounts won in a period (`kehu_extra_won_amounts`).
In a division without those addons an expense simply has no campaign or deal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import current_actor
from core.fields import display_name_column, display_text
from core.i18n import _
from core.runtime import kernel_of

CAMPAIGN = "campaign"
# The attributes of an expense that name a linked document by a plain id, by kind.
LINK_COLUMNS = {CAMPAIGN: "campaign_id"}


@dataclass(frozen=True)
class WonAmount:
    """Contract value won in a period: by a rep (`user_id`) with a customer or distributor."""

    user_id: int | None
    customer_id: int | None
    amount: Decimal


def _hooks(session: Session, division_id: int | None) -> Any:
    kernel = kernel_of(session)
    return kernel.hooks_for(division_id) if kernel is not None else None


def link_models(session: Session, division_id: int | None) -> dict[str, type]:
    """kind → model of the documents expenses may link to in a division."""
    hooks = _hooks(session, division_id)
    if hooks is None:
        return {}
    found: dict[str, type] = {}
    # Dependents answer first; a later answer for the same kind (crm_expense's own
    # fallback) does not replace it.
    for contributed in hooks.kehu_extra_expense_links(division_id=division_id):
        for kind, model in contributed or []:
            found.setdefault(kind, model)
    return found


def targets(session: Session, records: list[Any], division_id: int | None) -> dict[int, str]:
    """What else each of `records` (requests or claim lines) is for, by `id(record)`: the
    name of its deal (or another document a bridge adds), "" where the user may not see it."""
    hooks = _hooks(session, division_id)
    if hooks is None or not records:
        return {}
    found: dict[int, str] = {}
    for contributed in hooks.kehu_extra_expense_targets(session=session, records=records):
        for record, name in contributed or []:
            found.setdefault(id(record), name)
    return found


def names(session: Session, kind: str, ids: set[int], division_id: int | None) -> dict[int, str]:
    """Names of the linked documents the actor may see, one query."""
    model = link_models(session, division_id).get(kind)
    if model is None or not ids:
        return {}
    column = display_name_column(model)
    rows = session.execute(sa.select(model.id, column).where(  # type: ignore[attr-defined]
        model.id.in_(sorted(ids))))  # type: ignore[attr-defined]
    return {row[0]: display_text(model, row[1]) for row in rows}


def unknown_links(session: Session, record: Any) -> dict[str, str]:
    """Fields of `record` naming a campaign that is not there (or hidden)."""
    errors: dict[str, str] = {}
    division_id = record.division_id or current_actor().division_id
    models = None
    for kind, column in LINK_COLUMNS.items():
        value = getattr(record, column, None)
        if value is None:
            continue
        models = models if models is not None else link_models(session, division_id)
        model = models.get(kind)
        if model is None:
            errors[column] = _("Linking to this kind of record needs its addon in your division.")
            continue
        with session.no_autoflush:
            found = session.scalar(sa.select(model.id).where(model.id == value))  # type: ignore[attr-defined]
        if found is None:
            errors[column] = _("No such record, or you may not see it.")
    return errors


def won_amounts(session: Session, division_id: int, date_from: dt.date,
                date_to: dt.date) -> list[WonAmount]:
    """Contract amounts won in the period, from the addons enabled in the division."""
    hooks = _hooks(session, division_id)
    if hooks is None:
        return []
    rows: list[WonAmount] = []
    for contributed in hooks.kehu_extra_won_amounts(
            session=session, division_id=division_id, date_from=date_from, date_to=date_to):
        for user_id, customer_id, amount in contributed or []:
            rows.append(WonAmount(user_id, customer_id, Decimal(amount)))
    return rows


def totals_by(rows: list[WonAmount], basis: str) -> dict[int, Decimal]:
    """Won amounts summed per rep (`basis` "rep") or per customer ("distributor")."""
    result: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    for row in rows:
        key = row.user_id if basis == "rep" else row.customer_id
        if key is not None:
            result[key] += row.amount
    return dict(result)
