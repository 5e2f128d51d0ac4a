"""Reading an uploaded table: CSV in UTF-8 or GBK, or XLSX, parsed defensively.

Rows come out as lists of cell texts with their row number as a spreadsheet
shows it (the header is row 1). An XLSX file is checked with `zipfile` before
openpyxl opens it: a zip bomb or a file that is not a zip is refused; its XML
is parsed by defusedxml (openpyxl uses it when it is installed), so entity
tricks fail instead of expanding.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from core.errors import ValidationError
from core.i18n import _

Source = bytes | Path | IO[bytes]

# Limits of an XLSX file (#5): what its entries may unpack to, and how well they
# may compress. A ratio above the limit counts only for entries bigger than the
# floor: small XML parts legitimately compress very well.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024
ENCODINGS = ("utf-8-sig", "gb18030")
_BLOCK = 1024 * 1024


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, fields={"file": message})


class UnreadableRow(ValidationError):
    """A CSV row that cannot be read (an unclosed quote): the rows from `row` on are not
    trusted, so the import reports it as that row's error and writes nothing (#13)."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message, fields={"file": message})
        self.row = row


class Unsaved(str):
    """An XLSX cell holding a formula whose value Excel never saved: it reads as "", and
    the import reports it as an error of its row instead of an empty field (#13)."""

    __slots__ = ()


@contextlib.contextmanager
def opened(source: Source) -> Iterator[IO[bytes]]:
    """A seekable binary stream over `source` (bytes, a path or an open file)."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, Path):
        with source.open("rb") as handle:
            yield handle
    else:
        source.seek(0)
        yield source


def file_format(filename: str, stream: IO[bytes]) -> str:
    """"csv" or "xlsx", from the file's name and first bytes."""
    head = stream.read(8)
    stream.seek(0)
    suffix = Path(filename).suffix.lower()
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(_("Old .xls workbooks are not read: save the file as .xlsx or .csv."))
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt"):
        return "csv"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    return "csv"


def read_rows(stream: IO[bytes], fmt: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of every row, blank rows included."""
    if fmt == "xlsx":
        return _xlsx_rows(stream)
    return _csv_rows(stream, detect_encoding(stream))


# ------------------------------------------------------------------- CSV


def _decodes(stream: IO[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    stream.seek(0)
    try:
        while block := stream.read(_BLOCK):
            if "\x00" in decoder.decode(block):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


def detect_encoding(stream: IO[bytes]) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK); else refused."""
    for encoding in ENCODINGS:
        if _decodes(stream, encoding):
            return encoding
    raise _refuse(_("The CSV file is neither UTF-8 nor GBK text: save it as \"CSV UTF-8\"."))


def _csv_rows(stream: IO[bytes], encoding: str) -> Iterator[tuple[int, list[str]]]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    number = 0
    try:
        # strict: a quote left open is an error, not the next rows swallowed into a cell.
        for number, row in enumerate(csv.reader(text, strict=True), start=1):
            yield number, row
    except csv.Error:
        raise UnreadableRow(number + 1, _(
            "A quote opened in this row is not closed where the cell ends: check the "
            "row's quotes (\"). Nothing was imported.")) from None
    finally:
        # Left unfinished (a refused header), the generator is closed after the file:
        # the wrapper has nothing to let go of then.
        if not stream.closed:
            text.detach()


# ------------------------------------------------------------------ XLSX


def check_zip(stream: IO[bytes]) -> None:
    """Refuse what is not a zip, or a zip that unpacks too big or compresses too well."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        raise _refuse(_("This is not an Excel .xlsx file (it is not a zip archive).")) from None
    with archive:
        entries = archive.infolist()
    total = sum(entry.file_size for entry in entries)
    bomb = any(
        entry.file_size > RATIO_FLOOR_BYTES
        and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    stream.seek(0)
    if total > MAX_UNPACKED_BYTES or bomb:
        raise _refuse(_("The Excel file unpacks to too much data (more than {size} MB, or "
                        "compressed over {ratio} times): it is refused.")
                      .format(size=MAX_UNPACKED_BYTES // (1024 * 1024), ratio=MAX_RATIO))


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a form would receive."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise _refuse(_("Excel files cannot be read safely here (defusedxml is missing)."))
    check_zip(stream)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  (openpyxl raises many kinds on a broken file)
        raise _unreadable(error) from None
    formulas = _formulas(stream, openpyxl) if _has_formulas(stream) else None
    try:
        sheet = workbook.worksheets[0]
        written = formulas.worksheets[0].iter_rows(values_only=True) if formulas else None
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(value) for value in row]
            if written is not None:
                _mark_unsaved(cells, row, next(written, ()))
            yield number, cells
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise _unreadable(error) from None
    finally:
        workbook.close()
        if formulas is not None:
            formulas.close()


def _has_formulas(stream: IO[bytes]) -> bool:
    """Whether a worksheet of the file holds a formula (`<f>`): most imports do not, and
    are then read once."""
    with zipfile.ZipFile(stream) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            with archive.open(name) as part:
                tail = b""
                while block := part.read(_BLOCK):
                    if b"<f>" in tail + block or b"<f " in tail + block:
                        stream.seek(0)
                        return True
                    tail = block[-8:]
    stream.seek(0)
    return False


def _formulas(stream: IO[bytes], openpyxl: Any) -> Any:
    """The workbook read a second time, formulas as written, beside the saved values."""
    copy = io.BytesIO(stream.read())
    stream.seek(0)
    return openpyxl.load_workbook(copy, read_only=True, data_only=False)


def _mark_unsaved(cells: list[str], values: tuple[Any, ...], written: tuple[Any, ...]) -> None:
    for index, formula in enumerate(written):
        is_formula = (isinstance(formula, str) and formula.startswith("=")) or \
            type(formula).__name__ in ("ArrayFormula", "DataTableFormula")
        if is_formula and index < len(values) and values[index] is None:
            cells[index] = Unsaved("")


def _unreadable(error: BaseException) -> ValidationError:
    """The refusal of a broken XLSX; XML entities (defusedxml) get their own message."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return _refuse(_("The Excel file contains forbidden XML (entities): it is refused."))
        cause = cause.__cause__ or cause.__context__
    return _refuse(_("The Excel file could not be read: {error}").format(error=error))
