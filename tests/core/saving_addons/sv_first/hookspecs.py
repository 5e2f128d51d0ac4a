"""sv_first's own hook: other addons implement it without the kernel knowing."""

from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def kehu_extra_note_marks(title: str) -> list[str]:
    """Return marks sv_first adds to a note called `title` (dependents first)."""
