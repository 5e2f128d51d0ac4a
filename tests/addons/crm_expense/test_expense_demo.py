"""The demo expenses: filed and decided through the workflow by the demo people."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_expense.demo import create_demo_expenses
from addons.crm_expense.models import ExpenseClaim
from core.context import acting_as, system_context
from core.demo import create_demo_organisation
from core.kernel import Kernel
from core.models import Division, User
from core.org import actor_for
from core.workflow import pending_for


def test_the_demo_has_claims_in_every_state_and_runs_once(kernel: Kernel) -> None:
    with system_context(), kernel.sessions.begin() as session:
        divisions = list(session.scalars(sa.select(Division).order_by(Division.id)))
        create_demo_organisation(session, divisions)
        create_demo_expenses(session, divisions)
        create_demo_expenses(session, divisions)
    with system_context(), kernel.session() as session:
        states = sorted(session.scalars(sa.select(ExpenseClaim.state)))
        manager = actor_for(session, session.scalar(sa.select(User).where(User.login == "zhang.wei")))
    assert states == ["approved", "approved", "draft", "paid", "submitted"]
    with acting_as(manager), kernel.session() as session:
        waiting = pending_for(session, manager)
    assert [item.document for item in waiting] == ["宁波项目技术交流"]
