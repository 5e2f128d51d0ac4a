"""The competitor master (竞争对手): one list of competing companies for every addon.

Deals name the competitors they meet (crm_funnel), marketing keeps their company
record, products and moves (crm_marketing): all point at this one table, so a
division has its competitors whichever of those addons it runs (#16).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.orm import Model


class Competitor(Model):
    """A company competing with us for customers and deals (竞争对手)."""

    __tablename__ = "crm_competitor"
    __label__ = _l("Competitor")

    name: Mapped[str] = mapped_column(sa.String(200), index=True, info={"label": _l("Name")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})
