"""Order plans (订货计划): the month must be a month, the distributor a distributor.

Plans are entered on the form or imported from the kernel's Excel template
(`/m/crm_channel_plan/import/template.xlsx`: one row per distributor × product ×
month, distributor and product by code or name); an import is all-or-nothing and
names each bad row and column. The same checks run for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.models import OrderPlan
from addons.crm_customer.models import Customer
from core.context import system_context
from core.dataexchange import ImportCheck
from core.i18n import _

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DISTRIBUTOR_TIERS = ("tier1", "tier2", "chain")


def month_problem(month: str | None) -> str | None:
    """Why `month` is not a plan month (YYYY-MM), or None."""
    if not month or not MONTH.match(month.strip()):
        return _("Write the month as YYYY-MM, e.g. 2027-01.")
    return None


def not_distributors(session: Session, ids: Iterable[int]) -> set[int]:
    """Which of the customers `ids` are not distributors (tier-1, tier-2, chain)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    with system_context():
        found = set(session.scalars(sa.select(Customer.id).where(
            Customer.id.in_(wanted),
            Customer.channel_tier.in_(DISTRIBUTOR_TIERS))))  # type: ignore[attr-defined]
    return wanted - found


def check_plan(session: Session, plan: OrderPlan) -> dict[str, str]:
    """The problems of one plan entered on the form."""
    errors: dict[str, str] = {}
    problem = month_problem(plan.month)
    if problem:
        errors["month"] = problem
    else:
        plan.month = plan.month.strip()
    if plan.distributor_id in not_distributors(session, [plan.distributor_id]):
        errors["distributor_id"] = _("Plans are made for distributors (tier-1, tier-2, chain).")
    if plan.quantity is not None and plan.quantity < 0:
        errors["quantity"] = _("Enter a quantity of 0 or more.")
    return errors


def _import_plans(session: Session, rows: Sequence[Any]) -> list[Any]:
    """The same checks on an imported chunk: one query for the distributors."""
    errors = []
    wrong = not_distributors(session, [row.values.get("distributor_id") for row in rows])
    for row in rows:
        problem = month_problem(row.values.get("month"))
        if problem:
            errors.append(row.error("month", problem))
        if row.values.get("distributor_id") in wrong:
            errors.append(row.error("distributor_id", _(
                "Plans are made for distributors (tier-1, tier-2, chain).")))
        quantity = row.values.get("quantity")
        if quantity is not None and quantity < 0:
            errors.append(row.error("quantity", _("Enter a quantity of 0 or more.")))
    return errors


# Collected by the kernel through kehu_register_import_checks (__init__.py).
IMPORT_CHECKS = [ImportCheck(OrderPlan, _import_plans)]
