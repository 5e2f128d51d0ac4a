"""crm_expense on the workbench (#18): my claims in progress; claims in the global search."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from addons.crm_expense.models import CLAIM_STATES, ExpenseClaim
from core.hookspecs import hookimpl
from core.i18n import _, _l, format_money
from core.search import Searchable
from core.workbench import Content, Figure, Row, Widget, WidgetContext

IN_PROGRESS = ("draft", "submitted", "approved")  # not paid yet


def claims_in_progress(ctx: WidgetContext) -> Content:
    """My claims not paid yet: the total and the five latest (one statement each)."""
    mine = (ExpenseClaim.claimant_id == ctx.actor.user_id, ExpenseClaim.state.in_(IN_PROGRESS))
    count, total = ctx.session.execute(
        sa.select(sa.func.count(), sa.func.sum(ExpenseClaim.total)).where(*mine)).one()
    latest = ctx.session.execute(
        sa.select(ExpenseClaim.id, ExpenseClaim.title, ExpenseClaim.total, ExpenseClaim.state)
        .where(*mine).order_by(ExpenseClaim.id.desc()).limit(5)).all()
    states = dict(CLAIM_STATES)
    url = ctx.url(ExpenseClaim)
    return Content(
        figures=[Figure(_("Claims in progress"), str(count or 0),
                        url=f"{url}?claimant_id={ctx.actor.user_id}"),
                 Figure(_("Amount in progress"), format_money(total or Decimal(0)))],
        rows=[Row(text=title, url=ctx.url(ExpenseClaim, claim_id),
                  meta=f"{format_money(amount)} · {states.get(state, state)}")
              for claim_id, title, amount, state in latest],
        empty=_("No claim in progress."))


WIDGETS = [Widget(key="crm_expense.claims", label=_l("My expense claims"),
                  render=claims_in_progress, models=(ExpenseClaim,), sequence=30)]
SEARCHABLES = [Searchable(ExpenseClaim, fields=[ExpenseClaim.title])]


@hookimpl
def kehu_register_widgets() -> list[Widget]:
    return WIDGETS


@hookimpl
def kehu_register_searchables() -> list[Searchable]:
    return SEARCHABLES
