"""crm_funnel on the workbench (#18): my pipeline, weighted forecast, won this month,
target achievement, the team's figures for managers; leads, deals, quotes and
contracts in the global search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from addons.crm_funnel.models import OPEN, WON, Contract, Lead, Opportunity, Quote, SalesTarget
from core.hookspecs import hookimpl
from core.i18n import _, _l, format_money
from core.models import User
from core.search import Searchable
from core.workbench import Content, Figure, Row, Widget, WidgetContext


def _yuan(fen_times_percent: Any) -> Decimal:
    """A sum of amount (fen) × probability (%) as yuan."""
    return (Decimal(int(fen_times_percent or 0)) / 10000).quantize(Decimal("0.01"))


def _month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def my_numbers(ctx: WidgetContext) -> Content | None:
    """Open pipeline, weighted forecast, won this month, target achievement: two statements."""
    me = ctx.actor.user_id
    month = _month_start(ctx.today)
    weighted = sa.type_coerce(Opportunity.amount, sa.BigInteger) * Opportunity.probability
    row = ctx.session.execute(
        sa.select(
            sa.func.count().filter(Opportunity.state == OPEN),
            sa.func.sum(Opportunity.amount).filter(Opportunity.state == OPEN),
            sa.func.sum(weighted).filter(Opportunity.state == OPEN),
            sa.func.sum(Opportunity.amount).filter(Opportunity.state == WON,
                                                   Opportunity.closed_on >= month),
        ).where(Opportunity.owner_id == me)).one()
    target = ctx.session.execute(
        sa.select(SalesTarget.amount, SalesTarget.period_start, SalesTarget.period_end)
        .where(SalesTarget.user_id == me, SalesTarget.period_start <= ctx.today,
               SalesTarget.period_end >= ctx.today)
        .order_by(SalesTarget.period_start.desc(), SalesTarget.id)
        .limit(1)).first()
    if not row[0] and not row[3] and target is None:
        return None  # no deal of their own (a manager): the team widget speaks for them
    opportunities = ctx.url(Opportunity)
    figures = [
        Figure(_("Open pipeline"), format_money(row[1] or Decimal(0)),
               url=f"{opportunities}?owner_id={me}&state={OPEN}",
               hint=_("{count} open opportunities").format(count=row[0] or 0)),
        Figure(_("Weighted forecast"), format_money(_yuan(row[2]))),
        Figure(_("Won this month"), format_money(row[3] or Decimal(0)),
               url=f"{opportunities}?owner_id={me}&state={WON}"),
    ]
    if target is not None:
        won = _won_between(ctx, [me], target[1], target[2]).get(me, Decimal(0))
        share = (won / target[0] * 100) if target[0] else Decimal(0)
        figures.append(Figure(_("Target achievement"), f"{share:.0f}%",
                              hint=_("{won} of {target}").format(won=format_money(won),
                                                                 target=format_money(target[0]))))
    return Content(figures=figures)


def _won_between(ctx: WidgetContext, owners: list[int | None], start: dt.date,
                 end: dt.date) -> dict[int | None, Decimal]:
    rows = ctx.session.execute(
        sa.select(Opportunity.owner_id, sa.func.sum(Opportunity.amount))
        .where(Opportunity.owner_id.in_(owners), Opportunity.state == WON,
               Opportunity.closed_on >= start, Opportunity.closed_on <= end)
        .group_by(Opportunity.owner_id))
    return {owner: amount or Decimal(0) for owner, amount in rows}


def team_figures(ctx: WidgetContext) -> Content | None:
    """For a manager: each rep's open pipeline and this month's won amount, one statement."""
    if not ctx.team_ids:
        return None
    month = _month_start(ctx.today)
    rows = ctx.session.execute(
        sa.select(User.id, User.name,
                  sa.func.sum(Opportunity.amount).filter(Opportunity.state == OPEN),
                  sa.func.sum(Opportunity.amount).filter(Opportunity.state == WON,
                                                         Opportunity.closed_on >= month))
        .join(Opportunity, Opportunity.owner_id == User.id)
        .where(User.id.in_(sorted(ctx.team_ids)))
        .group_by(User.id, User.name)
        .order_by(sa.func.sum(Opportunity.amount).filter(Opportunity.state == OPEN).desc())
        .limit(12)).all()
    url = ctx.url(Opportunity)
    total_open = sum((row[2] or Decimal(0) for row in rows), Decimal(0))
    total_won = sum((row[3] or Decimal(0) for row in rows), Decimal(0))
    return Content(
        figures=[Figure(_("Team pipeline"), format_money(total_open), url=f"{url}?state={OPEN}"),
                 Figure(_("Team won this month"), format_money(total_won),
                        url=f"{url}?state={WON}")],
        rows=[Row(text=name, url=f"{url}?owner_id={user_id}",
                  meta=_("open {open} · won this month {won}").format(
                      open=format_money(open_ or Decimal(0)), won=format_money(won or Decimal(0))))
              for user_id, name, open_, won in rows],
        empty=_("Your team has no opportunity yet."))


WIDGETS = [
    Widget(key="crm_funnel.my_numbers", label=_l("My numbers"), render=my_numbers,
           models=(Opportunity,), sequence=15),
    Widget(key="crm_funnel.team", label=_l("My team's figures"), render=team_figures,
           models=(Opportunity,), sequence=25, managers_only=True),
]

SEARCHABLES = [
    Searchable(Lead, fields=[Lead.name, Lead.company, Lead.contact_name, Lead.phone],
               detail=[Lead.company, Lead.phone]),
    Searchable(Opportunity, fields=[Opportunity.name]),
    Searchable(Quote, fields=[Quote.number]),
    Searchable(Contract, fields=[Contract.number]),
]


@hookimpl
def kehu_register_widgets() -> list[Widget]:
    return WIDGETS


@hookimpl
def kehu_register_searchables() -> list[Searchable]:
    return SEARCHABLES
