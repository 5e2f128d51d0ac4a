"""wf_extra: an audit step on every expense note, a veto, and a record of transitions."""

from __future__ import annotations

from typing import Any

from wf_expense.models import ExpenseNote, ExpenseNoteLine

from core.addons import Manifest
from core.errors import TransitionRefused
from core.hookspecs import hookimpl
from core.i18n import _l
from core.views import RelatedList
from core.workflow import ApprovalStep, Transition

manifest = Manifest(name="wf_extra", version="1.0.0", summary="Audit of expense notes",
                    depends=["wf_expense"])

# (note id, transition, actor login) of every transition fired where wf_extra is enabled.
FIRED: list[tuple[int, str, str]] = []


@hookimpl
def kehu_extra_approval_steps(document: Any, transition: Transition) -> list[ApprovalStep]:
    """Every expense note is also checked by the auditor."""
    if not isinstance(document, ExpenseNote) or transition.name != "submit":
        return []
    return [ApprovalStep.by_user("auditor", label=_l("Audit"), reason="compliance")]


@hookimpl
def kehu_check_transition(document: Any, transition: Transition) -> None:
    """Notes titled "forbidden ..." cannot be submitted."""
    if isinstance(document, ExpenseNote) and transition.name == "submit" \
            and document.title.startswith("forbidden"):
        raise TransitionRefused("forbidden notes are refused by wf_extra")


@hookimpl
def kehu_on_transition(document: Any, transition: Transition, actor: Any) -> None:
    FIRED.append((document.id, transition.name, actor.login))


@hookimpl
def kehu_register_views() -> list[RelatedList]:
    """The receipts of a note as a tab (named by table: wf_extra shows it where enabled)."""
    return [RelatedList("wf_expense_note", ExpenseNoteLine.note_id,
                        [ExpenseNoteLine.description, ExpenseNoteLine.amount],
                        _l("Receipts (audit)"), order=[(ExpenseNoteLine.amount, True)], limit=2)]
