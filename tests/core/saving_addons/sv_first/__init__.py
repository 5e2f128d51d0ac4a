"""sv_first: save-time completion and checks of expense notes through the kernel's hooks."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from wf_expense.models import ExpenseNote

from core.addons import Manifest
from core.errors import ValidationError
from core.hookspecs import hookimpl
from core.runtime import kernel_of

manifest = Manifest(name="sv_first", version="1.0.0", summary="Save-time hooks (tests)",
                    depends=["wf_expense"], hookspecs="hookspecs")

# (division id, titles of the records, titles of the deleted) per call.
CALLS: list[tuple[int | None, list[str], list[str]]] = []
# Rows counted by kehu_on_rows_imported, per chunk.
IMPORTED: list[int] = []


def _notes(records: list[Any]) -> list[ExpenseNote]:
    return [record for record in records if isinstance(record, ExpenseNote)]


def _mark(note: Any, mark: str) -> None:
    note.cancel_reason = ",".join(filter(None, [note.cancel_reason, mark]))


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    notes = _notes(records)
    gone = _notes(deleted)
    if notes or gone:
        division = (notes or gone)[0].division_id
        CALLS.append((division, [n.title for n in notes], [n.title for n in gone]))
    for note in notes:
        if note.title.startswith("refuse"):
            raise ValidationError("refused by sv_first", fields={"title": "refused by sv_first"})
        _mark(note, "first")
        # sv_first's own hook, asked of the addons enabled in the note's division.
        kernel = kernel_of(session)
        assert kernel is not None
        for marks in kernel.hooks_for(note.division_id).kehu_extra_note_marks(title=note.title):
            for mark in marks:
                _mark(note, mark)


@hookimpl
def kehu_prepare_import_rows(model: type, rows: list[dict[str, Any]]) -> None:
    if model is ExpenseNote:
        for row in rows:
            row["cancel_reason"] = ",".join(filter(None, [row.get("cancel_reason"), "first"]))


@hookimpl
def kehu_on_rows_imported(session: Session, model: type, written: Any) -> None:
    if model is ExpenseNote:
        IMPORTED.append(session.scalar(sa.select(sa.func.count()).where(written)) or 0)
