"""wf_expense: a small approvable expense note, the workflow engine's sample document."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access import DEPARTMENT, DIVISION, OWN, Access, RecordRule, via
from core.addons import Manifest
from core.audit import Note
from core.context import Actor
from core.errors import ValidationError
from core.hookspecs import hookimpl
from core.i18n import _l
from core.jobs import Job
from core.models import Division, User
from core.navigation import Menu
from core.org import ALL_STAFF, FINANCE, GENERAL_MANAGER, SALES_MANAGER, SALES_REP, SERVICE
from core.views import FormView, KanbanView, Lines, ListView, Param, RecordAction, View
from core.workflow import Workflow
from wf_expense.models import ExpenseNote, ExpenseNoteLine
from wf_expense.workflow import ExpenseFlow

manifest = Manifest(name="wf_expense", version="1.0.0", summary="Sample expense notes",
                    depends=[])


@hookimpl
def kehu_register_models() -> list[type]:
    return [ExpenseNote, ExpenseNoteLine]


@hookimpl
def kehu_register_workflows() -> list[Workflow]:
    return [ExpenseFlow]


@hookimpl
def kehu_register_views() -> list[View]:
    return [
        ListView(ExpenseNote, columns=[ExpenseNote.title, ExpenseNote.amount, ExpenseNote.state]),
        FormView(ExpenseNote, fields=[ExpenseNote.title, ExpenseNote.amount],
                 lines=[Lines(ExpenseNote.lines, [ExpenseNoteLine.description,
                                                  ExpenseNoteLine.amount, ExpenseNoteLine.payee_id],
                              label=_l("Receipts"))]),
        # Receipts have a form of their own too: their API endpoint and import (#13).
        FormView(ExpenseNoteLine, fields=[ExpenseNoteLine.note_id, ExpenseNoteLine.description,
                                          ExpenseNoteLine.amount]),
        RecordAction(ExpenseNote, "retitle", _l("Retitle"), _retitle,
                     params=[Param("title", _l("New title")),
                             Param("payee", _l("Paid to"), kind="ref", target=User,
                                   required=False)],
                     visible=lambda note: note.state == "draft"),
        RecordAction(ExpenseNote, "prefix", _l("Mark urgent"), _mark_urgent, bulk=True,
                     roles=(SALES_MANAGER,)),
        KanbanView(ExpenseNote, column_by=ExpenseNote.state,
                   card=[ExpenseNote.title, ExpenseNote.amount]),
    ]


def _retitle(session: Session, note: Any, actor: Actor, values: dict[str, Any]) -> str:
    if values["title"].startswith("="):
        raise ValidationError("titles do not start with =", fields={"title": "starts with ="})
    note.title = values["title"]
    return f"retitled by {actor.login}"


def _mark_urgent(session: Session, note: Any, actor: Actor, values: dict[str, Any]) -> None:
    note.title = "急: " + note.title


def _remind_drafts(session: Session, division: Division) -> int:
    """A note on every draft without one yet."""
    noted = sa.select(Note.res_id).where(Note.model == ExpenseNote.__tablename__)
    drafts = list(session.scalars(sa.select(ExpenseNote).where(
        ExpenseNote.division_id == division.id, ExpenseNote.state == "draft",
        ExpenseNote.id.not_in(noted))))
    session.add_all(Note(model=ExpenseNote.__tablename__, res_id=note.id, body="仍是草稿")
                    for note in drafts)
    return len(drafts)


@hookimpl
def kehu_register_jobs() -> list[Job]:
    return [Job("remind_drafts", _l("Remind drafts"), _remind_drafts)]


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return [Menu("expense_notes", _l("Expense notes"), model=ExpenseNote, sequence=50)]


@hookimpl
def kehu_register_access() -> list[Access]:
    return [
        Access(ExpenseNote, SALES_REP, read=True, create=True, write=True, delete=True),
        Access(ExpenseNote, (SALES_MANAGER, GENERAL_MANAGER), read=True, create=True, write=True),
        Access(ExpenseNote, (FINANCE, SERVICE), read=True),
        Access(ExpenseNoteLine, SALES_REP, read=True, create=True, write=True, delete=True),
        Access(ExpenseNoteLine, (SALES_MANAGER, GENERAL_MANAGER), read=True, create=True,
               write=True, delete=True),
        Access(ExpenseNoteLine, (FINANCE, SERVICE), read=True),
    ]


@hookimpl
def kehu_register_record_rules() -> list[RecordRule]:
    return [
        RecordRule(ExpenseNote, SALES_REP, OWN),
        RecordRule(ExpenseNote, SALES_MANAGER, DEPARTMENT),
        RecordRule(ExpenseNote, (GENERAL_MANAGER, FINANCE, SERVICE), DIVISION),
        RecordRule(ExpenseNoteLine, ALL_STAFF, via(ExpenseNoteLine.note_id)),
    ]
