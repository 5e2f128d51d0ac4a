"""The row errors of an import as a file to download, fix and upload again."""

from __future__ import annotations

import csv
import io

from core.dataexchange.columns import neutralise
from core.dataexchange.rows import ImportResult
from core.i18n import _


def _rows(result: ImportResult) -> list[list[object]]:
    rows: list[list[object]] = [[_("Row"), _("Column"), _("Value"), _("Message")]]
    for error in result.errors:
        rows.append([error.row, neutralise(error.column), neutralise(error.value),
                     neutralise(error.message)])
    if result.omitted_errors:
        rows.append(["", "", "", _("{count} more errors are not listed.")
                     .format(count=result.omitted_errors)])
    return rows


def error_report(result: ImportResult, fmt: str) -> bytes:
    """The errors of `result` as "csv" (UTF-8 with BOM) or "xlsx" bytes."""
    rows = _rows(result)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}")
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors")[:31])
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
