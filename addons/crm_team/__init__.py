"""crm_team: visits on the road, routes and weekly plans, work reports (销售团队管理, #17)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from addons.crm_team import (
    access,
    demo,
    pages,
    reports,
    saving,
    views,
    widgets,
    work_reports,
    workflows,
)
from addons.crm_team.models import MODELS, CustomerPosition, TeamSetting
from core.access import Access, RecordRule
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.i18n import _l
from core.jobs import Job
from core.models import Division
from core.navigation import Menu
from core.views import View
from core.workflow import Workflow

manifest = Manifest(
    name="crm_team",
    version="0.1.0",
    summary="Visits on the road, routes and weekly plans, work reports",
    depends=["crm_customer"],
    category="Sales",
    hookspecs="hookspecs",
)


@hookimpl
def kehu_register_models() -> list[type]:
    return [*MODELS, CustomerPosition]


@hookimpl
def kehu_register_workflows() -> list[Workflow]:
    return workflows.WORKFLOWS


@hookimpl
def kehu_register_views() -> list[View]:
    return [*views.VIEWS, *views.position_views()]


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return views.MENUS


@hookimpl
def kehu_register_access() -> list[Access]:
    return access.ACCESS


@hookimpl
def kehu_register_record_rules() -> list[RecordRule]:
    return access.RULES


@hookimpl
def kehu_register_routes() -> list[BaseRoute]:
    return pages.ROUTES


@hookimpl
def kehu_register_reports() -> list[Any]:
    return reports.REPORTS


@hookimpl
def kehu_register_jobs() -> list[Job]:
    # Mondays at 09:00 Beijing time: last week's report is due (#20).
    return [Job("team_report_reminders", _l("Remind reps of missing weekly reports"),
                work_reports.remind_weekly, schedule="0 1 * * 1")]


@hookimpl
def kehu_prepare_records(session: Session, records: list[Any], deleted: list[Any]) -> None:
    saving.prepare_records(session, records)


@hookimpl
def kehu_on_installed(session: Session, addon: str) -> None:
    """Every division gets its visit settings (the check-in distance limit)."""
    if addon != manifest.name:
        return
    have = set(session.scalars(sa.select(TeamSetting.division_id)))
    for division_id in session.scalars(sa.select(Division.id)):
        if division_id not in have:
            session.add(TeamSetting(division_id=division_id))
    session.flush()


@hookimpl
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    demo.create_demo_team(session, divisions)


@hookimpl
def kehu_register_widgets() -> list[Any]:
    return widgets.WIDGETS
