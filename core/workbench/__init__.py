"""The workbench (工作台, #18): the home page, built from widgets that addons declare.

An addon returns `Widget`s from `kehu_register_widgets`. A widget is shown to a
user when its addon is enabled for the user's division, the user holds one of
its `roles` (any role when empty) and may read every model in `models`. Its
`render` runs one or two SQL statements as the user (record rules apply) and
returns a `Content`: figures, rows, or None to stay hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from core.context import Actor
from core.i18n import LazyText


@dataclass(frozen=True)
class Figure:
    """One number on a widget: "Open pipeline ¥1,200,000", with where it drills down."""

    label: str | LazyText
    value: str
    url: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class Row:
    """One line of a widget's list; `done_url` makes a one-click "done" button (POST)."""

    text: str
    url: str | None = None
    meta: str | None = None
    done_url: str | None = None
    badge: str | None = None  # "overdue", "today"...


@dataclass(frozen=True)
class Content:
    """What a widget shows: figures, rows, or the `empty` sentence when there are none."""

    figures: Sequence[Figure] = ()
    rows: Sequence[Row] = ()
    empty: str | LazyText | None = None
    more_url: str | None = None
    more_label: str | LazyText | None = None


@dataclass(frozen=True)
class WidgetContext:
    """What a widget's `render` gets: the session (as the user), the user, today."""

    session: Session
    actor: Actor
    today: dt.date
    kernel: Any
    now: dt.datetime
    # Users of the departments the actor manages (their team), empty for a rep.
    team_ids: frozenset[int] = frozenset()

    def url(self, model: type, record_id: int | None = None) -> str:
        """The list page of `model`, or the form of one of its records."""
        key = model.__tablename__  # type: ignore[attr-defined]
        return f"/m/{key}" if record_id is None else f"/m/{key}/{record_id}"


@dataclass(frozen=True)
class Widget:
    """A block of the workbench, declared by an addon (or the kernel)."""

    key: str
    label: LazyText
    render: Callable[[WidgetContext], Content | None]
    roles: tuple[str, ...] = ()
    models: tuple[type, ...] = ()
    sequence: int = 50
    wide: bool = False
    # Shown only to users who manage a department (team figures with a drill-down).
    managers_only: bool = False
    tags: tuple[str, ...] = field(default=())


__all__ = ["Content", "Figure", "Row", "Widget", "WidgetContext"]
