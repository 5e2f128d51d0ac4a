"""sv_second: depends on sv_first, so its hooks run before sv_first's."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from wf_expense.models import ExpenseNote

from core.addons import Manifest
from core.hookspecs import hookimpl

manifest = Manifest(name="sv_second", version="1.0.0", summary="Save-time hooks (tests)",
                    depends=["sv_first"])


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any]) -> None:
    for note in records:
        if isinstance(note, ExpenseNote):
            note.cancel_reason = ",".join(filter(None, [note.cancel_reason, "second"]))


@hookimpl
def kehu_prepare_import_rows(model: type, rows: list[dict[str, Any]]) -> None:
    if model is ExpenseNote:
        for row in rows:
            row["cancel_reason"] = ",".join(filter(None, [row.get("cancel_reason"), "second"]))


@hookimpl
def kehu_extra_note_marks(title: str) -> list[str]:
    """sv_first's hook (sv_second depends on sv_first)."""
    return [f"second saw {title}"]
