"""Workflows and approval chains (#4): states and transitions declared on a model,
approval chains as data per division, decided step by step.

Declaring (from an addon's `kehu_register_workflows`): `Workflow`, `State`,
`Transition`, `ApprovalStep`. Using: `fire`, `act`, `move`,
`available_transitions`, `kanban_move`, `decide`, `pending_for`, `submitted_by`, `trail`,
`history`. None of them commits: run them in the caller's transaction.
"""

from __future__ import annotations

from core.workflow.actions import act, available_transitions, kanban_move, move
from core.workflow.approval import decide
from core.workflow.declarations import ApprovalStep, State, Transition, Workflow
from core.workflow.engine import Action, fire
from core.workflow.inbox import (
    OVERDUE_AFTER,
    HistoryEntry,
    InboxItem,
    TrailRound,
    TrailStep,
    history,
    pending_for,
    submitted_by,
    trail,
)

__all__ = [
    "OVERDUE_AFTER",
    "Action",
    "ApprovalStep",
    "HistoryEntry",
    "InboxItem",
    "State",
    "TrailRound",
    "TrailStep",
    "Transition",
    "Workflow",
    "act",
    "available_transitions",
    "decide",
    "fire",
    "history",
    "kanban_move",
    "move",
    "pending_for",
    "submitted_by",
    "trail",
]
