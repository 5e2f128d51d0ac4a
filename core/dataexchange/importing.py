"""Importing a CSV or XLSX file into a model: all rows or nothing.

    with acting_as(actor):
        result = run_import(kernel, Customer, data, filename="客户.csv")
    if not result.committed:
        download(error_report(result, "xlsx"))

The file is read once into a staging copy (headers matched, lookup values
collected), each reference column is resolved in one query, then the rows are
validated and written in chunks of 1,000 inside one transaction. Unless
`valid_only` is set, one bad row means nothing is committed; the result lists
every bad row (row number as in the file, column title, cell, message).
"""

from __future__ import annotations

import csv
import itertools
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core import security_log
from core.context import Actor, current_actor
from core.dataexchange.columns import import_fields
from core.dataexchange.lookups import Lookup, resolve
from core.dataexchange.rows import ImportResult, ImportRow, RowError
from core.dataexchange.sources import Source
from core.dataexchange.staging import Staged, stage
from core.dataexchange.writing import ChunkWriter
from core.errors import AccessDenied, ValidationError
from core.fields import model_label
from core.i18n import _
from core.orm import Model

if TYPE_CHECKING:
    from core.kernel import Kernel

__all__ = ["ImportResult", "ImportRow", "RowError", "run_import"]

CHUNK = 1_000
Progress = Callable[[int, int], None]


def run_import(
    kernel: Kernel, model: type, source: Source, *, filename: str,
    division_id: int | None = None, valid_only: bool = False, progress: Progress | None = None,
) -> ImportResult:
    """Import `source` (bytes, a path or a binary file) into `model` as the current actor.

    `division_id` defaults to the actor's division (the system must name one).
    `progress(done, total)` is called after every chunk. File-level problems
    (encoding, unknown columns, a refused XLSX) raise ValidationError; row
    problems end up in the result.
    """
    result = ImportResult(model=model, filename=filename)
    execute_import(kernel, model, source, result, division_id=division_id,
                   valid_only=valid_only, progress=progress)
    return result


def execute_import(
    kernel: Kernel, model: type, source: Source, result: ImportResult, *,
    division_id: int | None, valid_only: bool, progress: Progress | None,
) -> None:
    """run_import filling a given `result`, which another thread may read meanwhile."""
    actor = current_actor()
    kernel.policy.check(actor, model, "create")
    fields = import_fields(kernel, model)
    division = _division(kernel, model, actor, division_id)
    try:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as handle:
            staged = stage(source, result.filename, fields, handle)
            result.total = staged.total
            if progress is not None:
                progress(0, staged.total)
            _write(kernel, model, staged, result, actor=actor, division_id=division,
                   valid_only=valid_only, progress=progress)
    finally:
        result.seconds = time.perf_counter() - result.started
        security_log.event("import", actor=actor, model=model.__tablename__,  # type: ignore[attr-defined]
                           rows=result.created, failed_rows=result.failed_rows,
                           file=result.filename, committed=result.committed)


def _division(kernel: Kernel, model: type, actor: Actor, division_id: int | None) -> int | None:
    """The division the rows go to: the one asked for, else the actor's own."""
    if not issubclass(model, Model):
        return None
    division = division_id if division_id is not None else actor.division_id
    if division is None:
        raise ValidationError(_("Choose the division to import into."),
                              fields={"division": _("Choose the division to import into.")})
    if not actor.system and division not in actor.division_ids:
        raise AccessDenied(_("You may only create records in your own division."))
    addon = model.__addon__
    if addon and addon not in kernel.registry.enabled_for(division):
        raise ValidationError(_("{model} is not used in this division.")
                              .format(model=model_label(model)), fields={"division": addon})
    return division


def _chunks(staged: Staged) -> Iterator[list[list[str]]]:
    reader = csv.reader(staged.handle)
    while chunk := list(itertools.islice(reader, CHUNK)):
        yield chunk


def _write(kernel: Kernel, model: type, staged: Staged, result: ImportResult, *, actor: Actor,
           division_id: int | None, valid_only: bool, progress: Progress | None) -> None:
    """Validate and insert every chunk in one transaction; commit only if allowed."""
    with kernel.session() as session:
        lookups = _lookups(session, staged, division_id)
        writer = ChunkWriter(kernel, session, model, staged.columns, lookups,
                             division_id=division_id, actor=actor)
        created = 0
        result.add_errors(staged.errors)  # rows the file itself spoils (#13)
        for chunk in _chunks(staged):
            written, errors = writer.write(chunk)
            created += written
            result.add_errors(errors)
            result.done += len(chunk)
            if progress is not None:
                progress(result.done, result.total)
        if result.ok or (valid_only and not staged.errors):
            session.commit()
            result.committed, result.created = True, created
        else:
            session.rollback()


def _lookups(session: Session, staged: Staged, division_id: int | None) -> dict[str, Lookup]:
    """Each reference column's distinct values, resolved once (one query per column)."""
    return {
        field.name: resolve(session, field, staged.values[field.name], division_id=division_id)
        for field in staged.columns if field.kind == "ref"
    }
