"""wf_expense: a small approvable expense note, the workflow engine's sample document."""

from __future__ import annotations

from wf_expense.models import ExpenseNote
from wf_expense.workflow import ExpenseFlow

from core.access import DEPARTMENT, DIVISION, OWN, Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.i18n import _l
from core.navigation import Menu
from core.org import FINANCE, GENERAL_MANAGER, SALES_MANAGER, SALES_REP, SERVICE
from core.views import FormView, KanbanView, ListView, View
from core.workflow import Workflow

manifest = Manifest(name="wf_expense", version="1.0.0", summary="Sample expense notes",
                    depends=[])


@hookimpl
def kehu_register_models() -> list[type]:
    return [ExpenseNote]


@hookimpl
def kehu_register_workflows() -> list[Workflow]:
    return [ExpenseFlow]


@hookimpl
def kehu_register_views() -> list[View]:
    return [
        ListView(ExpenseNote, columns=[ExpenseNote.title, ExpenseNote.amount, ExpenseNote.state]),
        FormView(ExpenseNote, fields=[ExpenseNote.title, ExpenseNote.amount]),
        KanbanView(ExpenseNote, column_by=ExpenseNote.state,
                   card=[ExpenseNote.title, ExpenseNote.amount]),
    ]


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return [Menu("expense_notes", _l("Expense notes"), model=ExpenseNote, sequence=50)]


@hookimpl
def kehu_register_access() -> list[Access]:
    return [
        Access(ExpenseNote, SALES_REP, read=True, create=True, write=True, delete=True),
        Access(ExpenseNote, (SALES_MANAGER, GENERAL_MANAGER), read=True, create=True, write=True),
        Access(ExpenseNote, (FINANCE, SERVICE), read=True),
    ]


@hookimpl
def kehu_register_record_rules() -> list[RecordRule]:
    return [
        RecordRule(ExpenseNote, SALES_REP, OWN),
        RecordRule(ExpenseNote, SALES_MANAGER, DEPARTMENT),
        RecordRule(ExpenseNote, (GENERAL_MANAGER, FINANCE, SERVICE), DIVISION),
    ]
