"""Exporting a list (its filters and the record rules included) as CSV or XLSX.

The rows are the list's (`Records.stream` of the list's `ListQuery`), read
1,000 at a time from a server-side cursor (`yield_per`) and turned into file
chunks as they come, so memory stays flat however long the list. References
show their display names (one query per chunk and referenced model),
choices their labels, money two decimals, dates ISO. A text that starts like a
formula (= + - @, tab, carriage return) gets a leading quote.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import decimal
import io
import tempfile
from collections.abc import Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from core import security_log
from core.context import Actor, acting_as, current_actor
from core.dataexchange.columns import ILLEGAL_XML, neutralise
from core.dataexchange.templates import sheet_title
from core.fields import FieldInfo, model_label
from core.i18n import _, current_locale, using_locale
from core.lists import ListQuery, ListResult
from core.orm import utcnow
from core.records import Records

if TYPE_CHECKING:
    from core.kernel import Kernel

BLOCK = 64 * 1024
CENT = decimal.Decimal("0.01")


class _Money(decimal.Decimal):
    """An amount: shown with two decimals in a spreadsheet."""


def export_filename(model: type, fmt: str) -> str:
    """A download name such as "crm_customer-20261124-0930.xlsx"."""
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return f"{model.__tablename__}-{stamp}.{fmt}"  # type: ignore[attr-defined]


def export_rows(
    kernel: Kernel, session: Session, model: type, query: ListQuery, fmt: str,
) -> Iterator[bytes]:
    """Every row of the list `query` asks for (`Records.stream`: its filters, its
    order, the caller's rights and rules) as chunks of a "csv" or "xlsx" file;
    `query.fields` default to the list's columns. Its cursor and limit do not apply.

    Call it as the user (`acting_as`): the rows are read as that user, with
    their rights and rules, in their language, however late the chunks are
    pulled. `session` must stay open until the last chunk (see export_stream).
    """
    records = kernel.records[model]
    fields = _fields(records, query.fields)
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    counter = [0]
    every = dataclasses.replace(query, fields=tuple(fields), cursor=None, limit=None, count=False)
    chunks = _chunks(records.stream(session, every), fields, counter)
    writer = _csv_file if fmt == "csv" else _xlsx_file
    blocks = _logged(writer(model, fields, chunks), model, fmt, counter)
    return _as_caller(blocks, current_actor(), current_locale())


def export_stream(kernel: Kernel, model: type, query: ListQuery, fmt: str) -> Iterator[bytes]:
    """export_rows with its own session, open while the chunks are pulled: the body
    of a streaming response (`StreamingResponse(export_stream(...))`)."""
    actor, locale = current_actor(), current_locale()

    def stream() -> Iterator[bytes]:
        with kernel.session() as session:
            with acting_as(actor), using_locale(locale):
                blocks = export_rows(kernel, session, model, query, fmt)
            yield from blocks

    return stream()


def _as_caller(blocks: Generator[bytes, None, None], actor: Actor, locale: str) -> Iterator[bytes]:
    """Pull each chunk as `actor` in `locale`, set and reset within the step.

    A web server pulls a streamed body after the handler returned, perhaps from
    another thread: the context of the request is gone by then, and a context
    variable set across a `yield` could not be reset from that other context.
    """
    try:
        while True:
            with acting_as(actor), using_locale(locale):
                block = next(blocks, None)
            if block is None:
                return
            yield block
    finally:  # also when the client goes away: log the export, drop the temporary file
        with acting_as(actor), using_locale(locale):
            blocks.close()


def _logged(blocks: Iterator[bytes], model: type, fmt: str, counter: list[int]) -> Generator[bytes, None, None]:
    try:
        yield from blocks
    finally:
        security_log.event("export", model=model.__tablename__, rows=counter[0],  # type: ignore[attr-defined]
                           format=fmt)


def _fields(records: Records, columns: Sequence[FieldInfo] | None) -> list[FieldInfo]:
    return [field for field in columns or records.columns if field.column is not None]


def _chunks(results: Iterator[ListResult], fields: list[FieldInfo],
            counter: list[int]) -> Iterator[list[list[Any]]]:
    """Rows of typed cell values, a chunk at a time (names read once per chunk and model)."""
    labels = {field.name: {str(value): str(label) for value, label in field.choices}
              for field in fields if field.kind == "choice"}
    for result in results:
        names: dict[str, dict[Any, str]] = {**result.names, **labels}
        chunk = [[_cell(field, getattr(row, field.name), names.get(field.name))
                  for field in fields] for row in result.rows]
        counter[0] += len(chunk)
        yield chunk


def _cell(field: FieldInfo, value: Any, names: dict[Any, str] | None) -> Any:
    """A value as exported: numbers, dates and texts (formula-looking ones neutralised).

    `names` are the display names of a reference's targets or a choice's labels.
    """
    if value is None:
        return None
    if names is not None:
        return neutralise(names.get(value, str(value)))
    if field.kind == "bool":
        return _("Yes") if value else _("No")
    if field.kind == "money":
        return _Money(decimal.Decimal(value).quantize(CENT))
    if isinstance(value, str):
        return neutralise(value)
    return value


def _headers(fields: list[FieldInfo]) -> list[str]:
    return [neutralise(str(field.label)) for field in fields]


# ------------------------------------------------------------------- CSV


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_file(model: type, fields: list[FieldInfo], chunks: Iterator[list[list[Any]]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers(fields))
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([[_csv_text(value) for value in row] for row in chunk])
        yield buffer.getvalue().encode("utf-8")


# ------------------------------------------------------------------ XLSX


def _xlsx_file(model: type, fields: list[FieldInfo], chunks: Iterator[list[list[Any]]]) -> Iterator[bytes]:
    """Rows written to a write-only workbook in a temporary file, then streamed."""
    from openpyxl import Workbook  # only when exporting: a worker starts faster
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(model_label(model)))
    sheet.freeze_panes = "A2"
    sheet.append(_headers(fields))
    for chunk in chunks:
        for row in chunk:
            sheet.append([_xlsx_cell(sheet, value, WriteOnlyCell) for value in row])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while block := handle.read(BLOCK):
            yield block


_FORMATS = {_Money: "#,##0.00", dt.datetime: "yyyy-mm-dd hh:mm:ss", dt.date: "yyyy-mm-dd"}


def _xlsx_cell(sheet: Any, value: Any, make_cell: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_XML.sub("", value)
    number_format = _FORMATS.get(type(value))
    if number_format is None:
        return value
    cell = make_cell(sheet, value=value)
    cell.number_format = number_format
    return cell
