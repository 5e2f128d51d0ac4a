"""Menus that addons contribute; each is shown where its addon is enabled."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import LazyText


@dataclass(frozen=True)
class Menu:
    """One entry of the main menu: a model's list (`model=`) or any `path`."""

    key: str
    label: LazyText
    model: type | None = None
    path: str | None = None
    sequence: int = 100
    parent: str | None = None
    # Only these roles see the entry (admins see every entry); empty: anyone who may read.
    roles: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        if self.model is not None:
            return f"/m/{self.model.__tablename__}"  # type: ignore[attr-defined]
        return self.path or "/"
