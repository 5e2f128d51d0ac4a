"""The company record marketing keeps on the competitor master (竞争对手档案, #16).

The master is crm_customer's (`Competitor`): every division has it, whichever
addons it runs. Marketing adds the profile: size, strengths, weaknesses, the
regions it is active in, its key customers and its website.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Competitor
from core.i18n import _l
from core.orm import extends

SIZES = [("small", _l("Small")), ("medium", _l("Medium")), ("large", _l("Large"))]


@extends(Competitor)
class CompetitorProfile:
    """The company record of a competitor (竞争对手档案)."""

    size: Mapped[str | None] = mapped_column(
        sa.String(8), info={"label": _l("Size"), "choices": SIZES})
    strengths: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Strengths")})
    weaknesses: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Weaknesses")})
    regions: Mapped[str | None] = mapped_column(sa.String(500),
                                                info={"label": _l("Regions active in")})
    key_customers: Mapped[str | None] = mapped_column(sa.String(500),
                                                      info={"label": _l("Key customers")})
    website: Mapped[str | None] = mapped_column(sa.String(200), info={"label": _l("Website")})
