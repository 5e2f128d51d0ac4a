"""The deals expense requests and claim lines are for, named as the user may see them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_funnel.models import Opportunity


def targets(session: Session, records: list[Any]) -> list[tuple[Any, str]]:
    """`(record, deal name)` for each record naming a deal; one query under the record
    rules, so a deal the user may not read is named "" (crm_expense's
    `kehu_extra_expense_targets`)."""
    tied = [record for record in records if getattr(record, "opportunity_id", None) is not None]
    if not tied:
        return []
    ids = sorted({record.opportunity_id for record in tied})
    with session.no_autoflush:
        names = dict(session.execute(
            sa.select(Opportunity.id, Opportunity.name).where(Opportunity.id.in_(ids))).all())
    return [(record, str(names.get(record.opportunity_id, ""))) for record in tied]
