"""The first pass over an import file: headers, row count and lookup values.

The file is read once and its data rows, reduced to the matched columns as
text, are copied to a temporary CSV file; the second pass (validation and
writing) reads that copy, so an XLSX file is parsed only once and no pass holds
the whole file in memory.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import IO

from core.dataexchange.columns import match_headers
from core.dataexchange.rows import RowError
from core.dataexchange.sources import Source, UnreadableRow, Unsaved, file_format, opened, read_rows
from core.errors import ValidationError
from core.fields import FieldInfo
from core.i18n import _


@dataclass
class Staged:
    """What the first pass learnt; the rows themselves are in `handle`."""

    columns: list[FieldInfo]
    handle: IO[str]
    total: int = 0
    # The distinct texts of each reference column, resolved once per file.
    values: dict[str, set[str]] = field(default_factory=dict)
    # Rows the file itself makes unreadable: extra cells, an open quote, a formula
    # without a saved value (#13). Any of them and nothing is written.
    errors: list[RowError] = field(default_factory=list)


def is_help_row(cells: list[str]) -> bool:
    """The template's second row, which documents each column ("# Required · ...")."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and all(cell.startswith("#") for cell in filled)


def stage(source: Source, filename: str, fields: list[FieldInfo], handle: IO[str]) -> Staged:
    """Read `source`, match its headers to `fields` and copy its data rows to `handle`.

    Each staged row is the file's row number followed by the matched cells.
    """
    with opened(source) as stream:
        rows = read_rows(stream, file_format(filename, stream))
        header = next(rows, None)
        if header is None or not any(cell.strip() for cell in header[1]):
            raise ValidationError(_("The file is empty: the first row must hold the column titles."),
                                  fields={"file": "empty"})
        matched = match_headers(fields, header[1])
        positions = [index for index, found in enumerate(matched) if found is not None]
        columns = [found for found in matched if found is not None]
        staged = Staged(columns=columns, handle=handle)
        refs = {index: found.name for index, found in enumerate(columns) if found.kind == "ref"}
        staged.values = {name: set() for name in refs.values()}
        writer = csv.writer(handle)
        titles = [cell.strip() for cell in header[1]]
        try:
            for number, cells in rows:
                picked = [cells[i].strip() if i < len(cells) else "" for i in positions]
                if not any(picked) or (number == 2 and is_help_row(cells)):
                    continue
                problem = _row_problem(number, cells, titles)
                if problem is not None:
                    staged.errors.append(problem)
                    continue
                writer.writerow([number, *picked])
                staged.total += 1
                for index, name in refs.items():
                    if picked[index]:
                        staged.values[name].add(picked[index])
        except UnreadableRow as error:
            staged.errors.append(RowError(error.row, "", "", error.message))
    handle.seek(0)
    return staged


def _row_problem(number: int, cells: list[str], titles: list[str]) -> RowError | None:
    """What makes a row unreadable as the header describes it, or None."""
    extra = [cell for cell in cells[len(titles):] if cell.strip()]
    if extra:
        return RowError(number, "", extra[0][:100], _(
            "This row has {count} cells, more than the {columns} column titles: a comma "
            "or a quote is probably misplaced.").format(
                count=max(i for i, cell in enumerate(cells) if cell.strip()) + 1,
                columns=len(titles)))
    for index, cell in enumerate(cells):
        if isinstance(cell, Unsaved):
            column = titles[index] if index < len(titles) else ""
            return RowError(number, column, "", _(
                "This cell holds a formula whose result was never saved: open the file in "
                "Excel, let it calculate, and save it again."))
    return None

