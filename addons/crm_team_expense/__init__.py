"""crm_team_expense: expense claims charged to travel requests, and each trip's budget
against its actual cost — the bridge between crm_team and crm_expense (#17)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from addons.crm_expense.models import ExpenseClaim
from addons.crm_team.models import Trip
from addons.crm_team_expense import costs, demo, views
from addons.crm_team_expense.models import MODELS
from core.addons import Manifest
from core.context import Actor
from core.hookspecs import hookimpl
from core.models import Division
from core.views import View
from core.workflow import Transition
from core.workflow.models import TransitionLog

manifest = Manifest(
    name="crm_team_expense",
    version="0.1.0",
    summary="Expense claims charged to travel requests, and each trip's budget against actual",
    depends=["crm_team", "crm_expense"],
    category="Sales",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def kehu_register_views() -> list[View]:
    return views.views()


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    for record in records:
        if isinstance(record, ExpenseClaim):
            costs.check_claim(session, record)
        elif isinstance(record, Trip):
            costs.keep_actual(session, record)


@hookimpl
def kehu_on_transition(session: Session, document: Any, transition: Transition, actor: Actor,
                       log: TransitionLog) -> None:
    """A claim entering or leaving approval changes what its trip has cost."""
    if isinstance(document, ExpenseClaim):
        trip_id = getattr(document, "trip_id", None)
        if trip_id is not None:
            costs.refresh_actual(session, [trip_id])


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.link_demo_claims(session, divisions)
