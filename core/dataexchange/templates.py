"""The empty file a user fills to import records of a model.

CSV: UTF-8 with a BOM (so Excel shows Chinese), the column titles, then one
row that documents each column and starts with "#" (import skips it).
XLSX: the titles with a comment on each, drop-down lists on choice columns,
and a "Help" sheet that documents every column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.dataexchange.columns import choice_labels, describe, import_fields
from core.fields import FieldInfo, model_label
from core.i18n import _

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from core.kernel import Kernel

# Rows of the data sheet that get a drop-down list on choice columns.
VALIDATED_ROWS = 100_000
LISTS_SHEET = "Lists"


def template(kernel: Kernel, model: type, fmt: str) -> bytes:
    """The import template of `model` as "csv" or "xlsx" bytes, in the current language."""
    fields = import_fields(kernel, model)
    if fmt == "csv":
        return _csv_template(fields)
    if fmt == "xlsx":
        return _xlsx_template(model, fields)
    raise ValueError(f"unknown format {fmt!r}")


def _help_text(field: FieldInfo) -> str:
    requirement, kind = describe(field)
    return f"{requirement} · {kind}"


def _csv_template(fields: Sequence[FieldInfo]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(field.label) for field in fields])
    writer.writerow([f"# {_help_text(field)}" for field in fields])
    return buffer.getvalue().encode("utf-8-sig")


def sheet_title(text: str) -> str:
    """`text` as a worksheet title (at most 31 characters, none of []:*?/\\)."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in text).strip()
    return cleaned[:31] or "Sheet"


def _xlsx_template(model: type, fields: Sequence[FieldInfo]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title(model_label(model))
    for index, field in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=index, value=str(field.label))
        cell.font = Font(bold=field.required)
        cell.comment = Comment(_help_text(field), "Kehu", width=300, height=80)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, 2 * len(str(field.label)) + 4)
    sheet.freeze_panes = "A2"
    _add_choice_lists(workbook, sheet, fields)
    _add_help_sheet(workbook, fields)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_choice_lists(workbook: Workbook, sheet: Worksheet, fields: Sequence[FieldInfo]) -> None:
    """A drop-down of labels on each choice column, listed on a hidden sheet."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = [(index, field) for index, field in enumerate(fields, start=1) if field.choices]
    if not choices:
        return
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for list_column, (index, field) in enumerate(choices, start=1):
        labels = choice_labels(field)
        for row, label in enumerate(labels, start=1):
            lists.cell(row=row, column=list_column, value=label)
        letter = get_column_letter(list_column)
        validation = DataValidation(
            type="list", formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${len(labels)}",
            allow_blank=True, showErrorMessage=True,
            error=_("Choose one of the listed values."), errorTitle=str(field.label),
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{VALIDATED_ROWS + 1}")
        sheet.add_data_validation(validation)


def _add_help_sheet(workbook: Workbook, fields: Sequence[FieldInfo]) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(sheet_title(_("Help")))
    sheet.append([_("Column"), _("Required"), _("What to enter")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for field in fields:
        requirement, kind = describe(field)
        sheet.append([str(field.label), requirement, kind])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 60
