"""The lookup lists (基础资料) every division starts with, read from data/*.csv."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from addons.crm_customer.models import (
    ClaimLimit,
    CustomerType,
    Industry,
    LeadSource,
    PoolRule,
    ProblemType,
)
from core.seeding import LookupData

DATA = Path(__file__).parent / "data"


def _rows(filename: str) -> list[dict[str, Any]]:
    with (DATA / filename).open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = list(csv.DictReader(handle))
    for row in rows:
        if "sequence" in row:
            row["sequence"] = int(row["sequence"])
        if "is_distributor" in row:
            row["is_distributor"] = row["is_distributor"] == "1"
    return rows


def lookup_data() -> list[LookupData]:
    """Industries, lead sources, customer and problem types (Chinese and English), and
    the public pool's default rules and claim limits."""
    return [
        LookupData(Industry, _rows("industries.csv")),
        LookupData(LeadSource, _rows("lead_sources.csv")),
        LookupData(CustomerType, _rows("customer_types.csv")),
        LookupData(ProblemType, _rows("problem_types.csv")),
        # The pool: customers nobody followed up for 90 days, and those of staff who left.
        LookupData(PoolRule, [{"kind": "no_follow_up", "days": 90, "levels": "BCD"},
                              {"kind": "owner_left", "days": None, "levels": None}],
                   keys=("kind",)),
        LookupData(ClaimLimit, [{"role": "sales_rep", "daily_limit": 10},
                                {"role": "sales_manager", "daily_limit": 30}],
                   keys=("role",)),
    ]
