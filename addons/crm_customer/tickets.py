"""What the kernel cannot know about tickets: their due time and when they were resolved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import DUE_HOURS, Ticket
from core.orm import utcnow


def default_due(priority: str | None, *, now: dt.datetime | None = None) -> dt.datetime:
    """When a ticket of `priority` is due if nobody said: 4 hours for an urgent one, 3 days normally."""
    hours = DUE_HOURS.get(priority or "normal", DUE_HOURS["normal"])
    return (now or utcnow()) + dt.timedelta(hours=hours)


def _state_changed_to(ticket: Ticket, state: str) -> bool:
    history = sa.inspect(ticket).attrs.state.history
    return history.has_changes() and ticket.state == state


def prepare_tickets(session: Session, records: list[Any]) -> None:
    """New tickets get their due time; a ticket resolved now gets its resolution time."""
    for record in records:
        if not isinstance(record, Ticket):
            continue
        if record in session.new:
            if record.due_at is None:
                record.due_at = default_due(record.priority)
        elif _state_changed_to(record, "resolved"):
            record.resolved_at = utcnow()


def prepare_imported_tickets(rows: list[dict[str, Any]]) -> None:
    """Imported tickets get the due time a form would give them."""
    now = utcnow()
    for row in rows:
        if row.get("due_at") is None:
            row["due_at"] = default_due(row.get("priority"), now=now)
