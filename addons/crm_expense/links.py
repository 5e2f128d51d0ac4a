"""Opportunities and campaigns an expense may name, when their addons are there.

crm_expense does not depend on crm_funnel or crm_marketing. An expense stores an
integer id (`opportunity_id`, `campaign_id`); the addons that own those
documents answer crm_expense's own hooks (hookspecs.py) `kehu_extra_expense_links`
(which model a kind is) and `kehu_extra_won_amounts` (contract amounts won in a
period, for accruals), as optional hooks. Only addons enabled in the division
are asked, so in a division without crm_funnel an expense simply has no opportunity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.policy import current_policy
from core.context import current_actor
from core.fields import display_name_column, display_text
from core.i18n import _
from core.workflow.registry import current_workflows

OPPORTUNITY = "opportunity"
CAMPAIGN = "campaign"
# The attributes of an expense that name a linked document, by kind.
LINK_COLUMNS = {OPPORTUNITY: "opportunity_id", CAMPAIGN: "campaign_id"}


@dataclass(frozen=True)
class WonAmount:
    """Contract value won in a period: by a rep (`user_id`) with a customer or distributor."""

    user_id: int | None
    customer_id: int | None
    amount: Decimal


def _hooks(division_id: int | None) -> Any:
    registry = current_workflows().hooks
    return registry.hooks_for(division_id) if registry is not None else None


def link_models(division_id: int | None) -> dict[str, type]:
    """kind → model of the documents expenses may link to in a division."""
    hooks = _hooks(division_id)
    if hooks is None:
        return {}
    found: dict[str, type] = {}
    # Dependents answer first; a later answer for the same kind (crm_expense's own
    # fallback) does not replace it.
    for contributed in hooks.kehu_extra_expense_links(division_id=division_id):
        for kind, model in contributed or []:
            found.setdefault(kind, model)
    return found


def model_by_table(table: str) -> type | None:
    """The mapped model of `table` in this process (None when its addon is absent)."""
    policy = current_policy()
    return policy.tables.get(table) if policy is not None else None


def names(session: Session, kind: str, ids: set[int], division_id: int | None) -> dict[int, str]:
    """Names of the linked documents the actor may see, one query."""
    model = link_models(division_id).get(kind)
    if model is None or not ids:
        return {}
    column = display_name_column(model)
    rows = session.execute(sa.select(model.id, column).where(  # type: ignore[attr-defined]
        model.id.in_(sorted(ids))))  # type: ignore[attr-defined]
    return {row[0]: display_text(model, row[1]) for row in rows}


def unknown_links(session: Session, record: Any) -> dict[str, str]:
    """Fields of `record` naming an opportunity or campaign that is not there (or hidden)."""
    errors: dict[str, str] = {}
    division_id = record.division_id or current_actor().division_id
    models = None
    for kind, column in LINK_COLUMNS.items():
        value = getattr(record, column, None)
        if value is None:
            continue
        models = models if models is not None else link_models(division_id)
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
    hooks = _hooks(division_id)
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
