"""A report's result as an Excel workbook, as the user saw it (labels, totals)."""

from __future__ import annotations

import io
from typing import Any

from core.dataexchange.columns import ILLEGAL_XML, neutralise
from core.dataexchange.templates import sheet_title
from core.i18n import _
from core.reports.engine import ReportResult, Values

_NUMBER_FORMATS = {"money": "#,##0.00", "count": "#,##0", "int": "#,##0",
                   "decimal": "#,##0.##", "percent": "0.0"}


def _text(value: Any) -> str:
    """A label as a cell: never a formula, no characters Excel refuses."""
    return str(ILLEGAL_XML.sub("", neutralise(str(value))))


def _headers(result: ReportResult) -> list[list[str]]:
    """One header row, or two for a cross table (column values over measures)."""
    measures = [str(m.label) + (" (%)" if m.kind == "percent" else "") for m in result.measures]
    first = _text(result.rows_dimension.label)
    if result.columns_dimension is None:
        return [[first, *map(_text, measures)]]
    top, bottom = [first], [""]
    for label in [c.label for c in result.columns] + [_("Total")]:
        top += [_text(label)] + [""] * (len(measures) - 1)
        bottom += [_text(m) for m in measures]
    return [top, bottom]


def _figures(result: ReportResult, row: Any, *, total: bool = False) -> list[Values]:
    if result.columns_dimension is None:
        return [result.totals if total else result.row(row)]
    if total:
        return [result.column_totals.get(c.value) or result.empty() for c in result.columns] + \
            [result.totals]
    return [result.cell(row, c.value) for c in result.columns] + [result.row(row)]


def export_xlsx(result: ReportResult) -> bytes:
    """The workbook of `result`: a header, a line per row, the totals line."""
    from openpyxl import Workbook  # only when exporting
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet, active
    # A label such as "Won / lost" is not a valid sheet title as it is (#13).
    sheet.title = sheet_title(_text(str(result.report.label)))
    headers = _headers(result)
    for line in headers:
        sheet.append(line)
    lines = [(_text(row.label), _figures(result, row.value)) for row in result.rows]
    lines.append((_text(_("Total")), _figures(result, None, total=True)))
    for label, groups in lines:
        cells: list[Any] = [label]
        for values in groups:
            cells += [values.get(m.key) for m in result.measures]
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=len(headers) + 1, min_col=2):
        for position, cell in enumerate(row):
            cell.number_format = _NUMBER_FORMATS[result.measures[position % len(result.measures)].kind]
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for number in range(1, len(headers) + 1):
        for cell in sheet[number]:
            cell.font = Font(bold=True)
    sheet.freeze_panes = f"B{len(headers) + 1}"  # the headers and the label column
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

