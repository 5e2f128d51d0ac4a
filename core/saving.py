"""The kernel's one save-time listener: addons complete and check records through hooks.

Addons never register SQLAlchemy listeners of their own (#21). Before every flush
the kernel groups the new, changed and deleted business records by division and
calls `kehu_prepare_records` of the addons enabled in each division.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

# Imported first so that their before_flush listeners run before ours: the stamps
# and the access layer fill the division and the owner that addons read.
from core import orm as _orm  # noqa: F401
from core.access import enforce as _enforce  # noqa: F401
from core.orm import Model
from core.runtime import kernel_of

# session.info key: prepare with every installed addon, whatever the division
# enables (installs and upgrades load an addon's data before a division enables it).
EVERY_ADDON = "kehu_every_addon"


def _by_division(session: Session) -> dict[int | None, tuple[list[Any], list[Any]]]:
    groups: dict[int | None, tuple[list[Any], list[Any]]] = defaultdict(lambda: ([], []))
    for record in session.new:
        if isinstance(record, Model):
            groups[record.division_id][0].append(record)
    for record in session.dirty:
        if isinstance(record, Model) and session.is_modified(record):
            groups[record.division_id][0].append(record)
    for record in session.deleted:
        if isinstance(record, Model):
            groups[record.division_id][1].append(record)
    return groups


@sa.event.listens_for(Session, "before_flush")
def _prepare(session: Session, _context: Any, _instances: Any) -> None:
    """Call `kehu_prepare_records` per division (after the stamps filled the division)."""
    kernel = kernel_of(session)
    if kernel is None:  # a session made outside any kernel: no addon to ask
        return
    every = bool(session.info.get(EVERY_ADDON))
    with session.no_autoflush:
        for division_id, (records, deleted) in _by_division(session).items():
            kernel.hooks_for(None if every else division_id).kehu_prepare_records(
                session=session, records=records, deleted=deleted)
