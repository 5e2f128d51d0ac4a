"""The rows of an import and what is wrong with them."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# At most this many errors are kept (a file with the wrong columns could have
# one per cell); the rest are only counted.
MAX_ERRORS = 10_000


@dataclass(frozen=True)
class RowError:
    """One problem: the row as numbered in the file, the column's title, the cell, why."""

    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class ImportRow:
    """A validated row on its way to the database.

    `values` are the converted values by field name (references as ids);
    `cells` the texts of the file; `labels` the column titles by field name.
    """

    number: int
    values: dict[str, Any]
    cells: Mapping[str, str]
    labels: Mapping[str, str]

    def error(self, field_name: str | None, message: str) -> RowError:
        """A RowError about this row's `field_name` (None: the whole row)."""
        if field_name is None:
            return RowError(self.number, "", "", message)
        return RowError(self.number, self.labels.get(field_name, field_name),
                        self.cells.get(field_name, ""), message)


@dataclass
class ImportResult:
    """How an import went: rows read and written, and the row errors.

    `committed` says whether anything was written: without `valid_only`, an
    import with any error writes nothing.
    """

    model: type
    filename: str
    total: int = 0  # data rows in the file
    done: int = 0  # rows validated so far
    created: int = 0  # rows written (0 unless committed)
    failed_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    omitted_errors: int = 0  # errors beyond MAX_ERRORS, counted only
    committed: bool = False
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Every row passed."""
        return self.failed_rows == 0

    @property
    def rate(self) -> float:
        """Rows per second over the whole import."""
        return self.total / self.seconds if self.seconds else 0.0

    def add_errors(self, errors: Iterable[RowError]) -> None:
        """Keep `errors` (up to MAX_ERRORS) and count the rows they concern."""
        rows = set()
        for error in errors:
            rows.add(error.row)
            if len(self.errors) < MAX_ERRORS:
                self.errors.append(error)
            else:
                self.omitted_errors += 1
        self.failed_rows += len(rows)
