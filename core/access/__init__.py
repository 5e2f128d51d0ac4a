"""Access control: per-role model rights and row-level record rules.

Addons declare `Access(...)` and `RecordRule(...)` objects through hooks; the
kernel enforces them below the web layer, on every ORM statement and flush
(see core/access/enforce.py), so pages, API, export, reports and imports all
obey the same rules. Rules of a user's roles are OR-ed; the division boundary
is always AND-ed.
"""

from __future__ import annotations

from core.access.rules import (
    ALL,
    DEPARTMENT,
    DIVISION,
    OWN,
    PRODUCT_LINES,
    REGIONS,
    Access,
    RecordRule,
    Scope,
    via,
)

__all__ = [
    "ALL",
    "DEPARTMENT",
    "DIVISION",
    "OWN",
    "PRODUCT_LINES",
    "REGIONS",
    "Access",
    "RecordRule",
    "Scope",
    "via",
]
