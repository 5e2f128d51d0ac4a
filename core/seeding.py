"""Lookup data (基础资料) that addons load on install, matched on key columns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.orm import Base


@dataclass(frozen=True)
class LookupData:
    """Rows of `model` to ensure; `keys` identify a row, other values fill new rows."""

    model: type[Base]
    rows: Sequence[dict[str, Any]]
    keys: tuple[str, ...] = ("code",)


def load_lookup_data(session: Session, data: LookupData, *, division_id: int | None) -> int:
    """Insert the rows that are missing; return how many were added.

    Existing rows are left as an administrator may have edited them. One query
    reads the existing keys; the new rows go in one executemany.
    """
    table = data.model.__table__
    key_columns = [table.c[key] for key in data.keys]
    filters = []
    if "division_id" in table.c:
        # Company-wide entries (division NULL) are loaded once, each division's own per division (#14).
        filters.append(table.c.division_id == division_id if division_id is not None
                       else table.c.division_id.is_(None))
    existing = {tuple(row) for row in session.execute(sa.select(*key_columns).where(*filters))}
    new_rows = []
    for row in data.rows:
        values = dict(row)
        if "division_id" in table.c and division_id is not None:
            values.setdefault("division_id", division_id)
        if tuple(values[key] for key in data.keys) not in existing:
            new_rows.append(values)
    if new_rows:
        session.execute(sa.insert(data.model), new_rows)
    return len(new_rows)
