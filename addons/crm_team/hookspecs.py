"""crm_team's own hooks (manifest `hookspecs="hookspecs"`), implemented by other addons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.hookspecs import hookspec

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session


@hookspec
def kehu_extra_period_figures(
    session: Session, user_id: int, date_from: dt.date, date_to: dt.date
) -> list[tuple[str, Any]]:
    """Return `(label, value)` figures of one rep's work from `date_from` to `date_to`
    (both included): deals moved and won, quotes made...

    Asked when crm_team pre-fills a work report, only of the addons enabled in the
    report's division, as the system (count every row of the rep). Count in SQL,
    one statement per figure group; labels are already translated text. Every
    answer is listed, in the order the addons answer (dependents first).
    """
