"""Exporting a list (its filters and the record rules included) as CSV or XLSX.

The rows are read 1,000 at a time from a server-side cursor (`yield_per`) and
turned into file chunks as they come, so memory stays flat however long the
list. References show their display names (one query per chunk and field),
choices their labels, money two decimals, dates ISO. A text that starts like a
formula (= + - @, tab, carriage return) gets a leading quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import tempfile
from collections.abc import Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core import security_log
from core.context import Actor, acting_as, current_actor
from core.dataexchange.columns import ILLEGAL_XML, neutralise
from core.dataexchange.templates import sheet_title
from core.fields import FieldInfo, model_label
from core.i18n import _, current_locale, using_locale
from core.orm import utcnow
from core.records import Records

if TYPE_CHECKING:
    from core.kernel import Kernel

CHUNK = 1_000
BLOCK = 64 * 1024
CENT = decimal.Decimal("0.01")


class _Money(decimal.Decimal):
    """An amount: shown with two decimals in a spreadsheet."""


def export_filename(model: type, fmt: str) -> str:
    """A download name such as "crm_customer-20261124-0930.xlsx"."""
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return f"{model.__tablename__}-{stamp}.{fmt}"  # type: ignore[attr-defined]


def export_rows(
    kernel: Kernel, session: Session, model: type, statement: sa.Select[Any], fmt: str,
    columns: Sequence[FieldInfo | str] | None = None, *, order: str | None = None,
) -> Iterator[bytes]:
    """The rows of `statement` (a list's `Records.select`) as chunks of a "csv" or
    "xlsx" file; `columns` default to the list's columns, `order` to its order.

    Call it as the user (`acting_as`): the rows are read as that user, with
    their rights and rules, in their language, however late the chunks are
    pulled. `session` must stay open until the last chunk (see export_stream).
    """
    records = kernel.records[model]
    fields = _fields(records, columns)
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    counter = [0]
    chunks = _chunks(session, records, _query(records, statement, fields, order), fields, counter)
    writer = _csv_file if fmt == "csv" else _xlsx_file
    blocks = _logged(writer(model, fields, chunks), model, fmt, counter)
    return _as_caller(blocks, current_actor(), current_locale())


def export_stream(
    kernel: Kernel, model: type, statement: sa.Select[Any], fmt: str,
    columns: Sequence[FieldInfo | str] | None = None, *, order: str | None = None,
) -> Iterator[bytes]:
    """export_rows with its own session, open while the chunks are pulled: the body
    of a streaming response (`StreamingResponse(export_stream(...))`)."""
    actor, locale = current_actor(), current_locale()

    def stream() -> Iterator[bytes]:
        with kernel.session() as session:
            with acting_as(actor), using_locale(locale):
                blocks = export_rows(kernel, session, model, statement, fmt, columns, order=order)
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


def _fields(records: Records, columns: Sequence[FieldInfo | str] | None) -> list[FieldInfo]:
    chosen = columns or records.columns
    fields = [records.all_fields[c] if isinstance(c, str) else c for c in chosen]
    return [field for field in fields if field.column is not None]


def _query(records: Records, statement: sa.Select[Any], fields: list[FieldInfo],
           order: str | None) -> sa.Select[Any]:
    model = records.model
    keys = records.order_keys(order)
    query = statement.with_only_columns(*[getattr(model, field.name) for field in fields])
    query = query.order_by(*[attr.desc() if descending else attr.asc() for attr, descending in keys])
    return query.execution_options(yield_per=CHUNK)


def _chunks(session: Session, records: Records, query: sa.Select[Any], fields: list[FieldInfo],
            counter: list[int]) -> Iterator[list[list[Any]]]:
    """Rows of typed cell values, a chunk at a time."""
    refs = [(index, field) for index, field in enumerate(fields) if field.kind == "ref" and field.target]
    labels = {index: {str(value): str(label) for value, label in field.choices}
              for index, field in enumerate(fields) if field.kind == "choice"}
    for partition in session.execute(query).partitions():
        names: dict[int, dict[Any, str]] = {
            index: records.display_names(session, field.target,  # type: ignore[arg-type]
                                         {row[index] for row in partition} - {None})
            for index, field in refs
        }
        names.update(labels)
        chunk = [[_cell(field, row[index], names.get(index)) for index, field in enumerate(fields)]
                 for row in partition]
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
