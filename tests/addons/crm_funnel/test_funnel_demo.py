"""The demo deals (#7): 3,000 opportunities over both sales modes and every stage; what a
demo rep finds on the workbench (#18)."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from addons.crm_funnel import reports
from addons.crm_funnel.models import Contract, Lead, Opportunity, Quote, Stage, StageMove
from core.context import acting_as, system_context
from core.installer import load_demo
from core.kernel import Kernel
from core.models import User
from core.org import actor_for
from core.reports import run_report
from core.workbench.web import render_widgets


@pytest.mark.sqlite_only  # engine-agnostic: PostgreSQL is covered elsewhere (CI time)
def test_the_demo_fills_every_stage_of_both_modes_quickly(kernel: Kernel) -> None:
    started = time.perf_counter()
    load_demo(kernel)
    assert time.perf_counter() - started < 60
    with system_context(), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Opportunity)) == 3000
        used = set(session.scalars(sa.select(Opportunity.stage_id).distinct()))
        stages = set(session.scalars(sa.select(Stage.id)))  # company-wide stages (#14)
        assert stages <= used
        states = dict(session.execute(sa.select(Opportunity.state, sa.func.count())
                                      .group_by(Opportunity.state)).all())
        assert set(states) == {"open", "won", "lost"}
        assert session.scalar(sa.select(sa.func.count()).select_from(Contract)) == states["won"]
        assert session.scalar(sa.select(sa.func.count(sa.distinct(StageMove.opportunity_id)))) \
            == 3000
        assert session.scalar(sa.select(sa.func.count()).select_from(Lead)) > 0
        assert session.scalar(sa.select(sa.func.count()).select_from(Quote)) > 0
        name = session.scalar(sa.select(Opportunity.name).limit(1))
        assert any("\u4e00" <= char <= "\u9fff" for char in name)
        funnel = run_report(session, reports.funnel, rows="stage")
        assert funnel.totals["count"] == states["open"]
    # li.na signs in to to-dos due today and overdue, and a believable target achievement.
    with system_context(), kernel.session() as session:
        actor = actor_for(session, session.scalars(sa.select(User).filter_by(login="li.na")).one())
    with acting_as(actor), kernel.session() as session:
        shown = {widget.key: widget.content for widget in render_widgets(kernel, actor, session)}
    assert {row.badge for row in shown["core.todos"].rows} == {"today", "overdue"}
    achievement = [figure.value for figure in shown["crm_funnel.my_numbers"].figures
                   if figure.value.endswith("%")]
    assert len(achievement) == 1 and int(achievement[0][:-1]) <= 120, achievement
    # Loading again adds nothing.
    load_demo(kernel)
    with system_context(), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Opportunity)) == 3000
