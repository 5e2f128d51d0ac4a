"""Demo channel data (filled in below)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.models import Division


def create_demo_channel(session: Session, divisions: list[Division]) -> None:
    """Nothing yet."""
