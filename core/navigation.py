"""Menus that addons contribute; each is shown where its addon is enabled."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import LazyText


@dataclass(frozen=True)
class Menu:
    """One entry of the main menu."""

    key: str
    label: LazyText
    path: str
    sequence: int = 100
    parent: str | None = None
