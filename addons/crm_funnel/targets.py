"""Targets add up (#14): a child never takes more than is left of its parent, and a
change of a target's amount is logged (指标变更) with its reason.

Called from `kehu_prepare_records`, so the form, the API, "split down evenly" and
plain code obey it alike. The log is the kernel's audit trail: `amount` and
`change_reason` are tracked fields of SalesTarget (old → new, who, when).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_funnel.models import SalesTarget
from core.context import system_context
from core.errors import ValidationError
from core.i18n import _, format_money


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def _saved_children(session: Session, parents: set[int], pending: set[int]) -> dict[int, Decimal]:
    """The amounts of the parents' children already saved, leaving out those in this flush."""
    if not parents:
        return {}
    statement = (sa.select(SalesTarget.parent_id, sa.func.coalesce(sa.func.sum(SalesTarget.amount), 0))
                 .where(SalesTarget.parent_id.in_(sorted(parents)),
                        SalesTarget.id.not_in(sorted(pending)) if pending else sa.true())
                 .group_by(SalesTarget.parent_id))
    with system_context(), session.no_autoflush:  # a rep may not see a colleague's share
        return {parent: Decimal(total) for parent, total in session.execute(statement)}


def check_rollup(session: Session, records: list[Any]) -> None:
    """Refuse a child above what is left of its parent, or a parent below its children."""
    targets = [r for r in records if isinstance(r, SalesTarget)]
    if not targets:
        return
    pending = {t.id for t in targets if t.id is not None}
    children: dict[int, list[SalesTarget]] = defaultdict(list)
    for target in targets:
        if target.parent_id is not None:
            children[target.parent_id].append(target)
    _check_reasons(session, targets)
    saved = _saved_children(session, set(children) | pending, pending)
    for parent_id, kids in children.items():
        with system_context(), session.no_autoflush:
            parent = session.get(SalesTarget, parent_id)
        if parent is None:
            continue
        taken = saved.get(parent_id, Decimal(0))
        left = parent.amount - taken
        if sum((kid.amount or Decimal(0) for kid in kids), Decimal(0)) > left:
            raise _refuse("amount", _("Only {left} of the parent target is left to split.")
                          .format(left=format_money(max(left, Decimal(0)))))
    for target in targets:
        if target.id is None or target.amount is None:
            continue
        below = saved.get(target.id, Decimal(0)) + sum(
            (kid.amount or Decimal(0) for kid in children.get(target.id, [])), Decimal(0))
        if below > target.amount:
            raise _refuse("amount", _("The targets split from this one add up to {total}: it "
                                      "cannot be less.").format(total=format_money(below)))


def _check_reasons(session: Session, targets: list[SalesTarget]) -> None:
    """A saved target's amount changes only with a reason, logged with it."""
    for target in targets:
        if target.id is None or target not in session.dirty:
            continue
        state = sa.inspect(target)
        if state.attrs["amount"].history.has_changes() \
                and not state.attrs["change_reason"].history.has_changes():
            raise _refuse("change_reason", _("Say why the target changes (指标变更)."))
