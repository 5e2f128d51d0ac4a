"""Moving promotional material in and out of stock.

A posted receipt adds its lines to the warehouse's stock; an approved request
takes its lines out. Both run inside the transition's transaction (raising
rolls the transition back). The issue is a conditional UPDATE per line:
`quantity = quantity - n WHERE quantity >= n`. Two approvals racing for the
last items both reach that statement; the database lets one subtract and the
other finds the condition false (PostgreSQL re-checks it after the row lock),
so the stock never goes below zero (#16).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_marketing.models.materials import (
    MaterialItem,
    MaterialReceipt,
    MaterialRequest,
    MaterialStock,
)
from core.context import system_context
from core.errors import TransitionRefused
from core.i18n import _


def _wanted(lines: list[Any]) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for line in lines:
        totals[line.item_id] += int(line.quantity or 0)
    return dict(totals)


def on_hand(session: Session, warehouse_id: int, item_ids: list[int]) -> dict[int, int]:
    """Stock of the items in a warehouse (0 where none), one query."""
    with system_context(), session.no_autoflush:
        rows = session.execute(sa.select(MaterialStock.item_id, MaterialStock.quantity).where(
            MaterialStock.warehouse_id == warehouse_id, MaterialStock.item_id.in_(item_ids)))
        found = {int(item): int(quantity) for item, quantity in rows}
    return {item: found.get(item, 0) for item in item_ids}


def _item_name(session: Session, item_id: int) -> str:
    with system_context():
        return str(session.scalar(sa.select(MaterialItem.name).where(MaterialItem.id == item_id)))


def shortage(session: Session, request: MaterialRequest) -> str | None:
    """The first item the warehouse does not hold enough of, as a sentence (or None)."""
    wanted = _wanted(request.lines)
    stock = on_hand(session, request.warehouse_id, list(wanted))
    for item_id, quantity in wanted.items():
        if stock[item_id] < quantity:
            return _("Only {stock} of {item} in stock, {wanted} requested.").format(
                stock=stock[item_id], item=_item_name(session, item_id), wanted=quantity)
    return None


def issue(session: Session, request: MaterialRequest) -> None:
    """Take the request's items out of stock, all or none (refused when short)."""
    for item_id, quantity in sorted(_wanted(request.lines).items()):
        with system_context():
            taken = session.execute(
                sa.update(MaterialStock)
                .where(MaterialStock.item_id == item_id,
                       MaterialStock.warehouse_id == request.warehouse_id,
                       MaterialStock.quantity >= quantity)
                .values(quantity=MaterialStock.quantity - quantity,
                        version=MaterialStock.version + 1)
                .execution_options(synchronize_session=False))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise TransitionRefused(shortage(session, request) or _(
                "Not enough {item} in stock.").format(item=_item_name(session, item_id)))
    # Written at once as the system: the request is already in its locked state (issued).
    with system_context():
        session.execute(sa.update(MaterialRequest).where(MaterialRequest.id == request.id)
                        .values(issued_on=dt.date.today())
                        .execution_options(synchronize_session=False))


def post(session: Session, receipt: MaterialReceipt) -> None:
    """Add the receipt's items to the warehouse's stock (a row is created when new)."""
    wanted = _wanted(receipt.lines)
    with system_context():
        existing = set(on_hand(session, receipt.warehouse_id, list(wanted)))
        held = set(session.scalars(sa.select(MaterialStock.item_id).where(
            MaterialStock.warehouse_id == receipt.warehouse_id,
            MaterialStock.item_id.in_(existing))))
        for item_id, quantity in sorted(wanted.items()):
            if item_id in held:
                session.execute(
                    sa.update(MaterialStock)
                    .where(MaterialStock.item_id == item_id,
                           MaterialStock.warehouse_id == receipt.warehouse_id)
                    .values(quantity=MaterialStock.quantity + quantity,
                            version=MaterialStock.version + 1)
                    .execution_options(synchronize_session=False))
            else:
                session.add(MaterialStock(division_id=receipt.division_id, item_id=item_id,
                                          warehouse_id=receipt.warehouse_id,
                                          quantity=quantity))
        session.flush()
