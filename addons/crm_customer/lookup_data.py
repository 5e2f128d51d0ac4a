"""The lookup lists (基础资料) every division starts with, read from data/*.csv."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from addons.crm_customer.models import CustomerType, Industry, LeadSource
from core.seeding import LookupData

DATA = Path(__file__).parent / "data"


def _rows(filename: str) -> list[dict[str, Any]]:
    with (DATA / filename).open(encoding="utf-8") as handle:
        rows: list[dict[str, Any]] = list(csv.DictReader(handle))
    for row in rows:
        row["sequence"] = int(row["sequence"])
        if "is_distributor" in row:
            row["is_distributor"] = row["is_distributor"] == "1"
    return rows


def lookup_data() -> list[LookupData]:
    """Industries, lead sources and customer types, in Chinese with English names."""
    return [
        LookupData(Industry, _rows("industries.csv")),
        LookupData(LeadSource, _rows("lead_sources.csv")),
        LookupData(CustomerType, _rows("customer_types.csv")),
    ]
