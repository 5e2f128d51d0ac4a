"""Work reports (工作报告): a rep's daily, weekly or monthly plan and summary."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.i18n import _l
from core.orm import Model, ref

REPORT_KINDS = [("daily", _l("Daily")), ("weekly", _l("Weekly")), ("monthly", _l("Monthly"))]
REPORT_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                 ("reviewed", _l("Reviewed"))]
RATINGS = [("1", "★"), ("2", "★★"), ("3", "★★★"), ("4", "★★★★"), ("5", "★★★★★")]


class WorkReport(Model):
    """A rep's report for a day, week or month: the period's figures and free text."""

    __tablename__ = "crm_team_work_report"
    __label__ = _l("Work report")
    __display__ = "title"
    __owner__ = "owner_id"
    __department__ = "department_id"
    __table_args__ = (sa.UniqueConstraint("owner_id", "kind", "period_start"),
                      sa.Index("ix_crm_team_work_report_period", "kind", "period_start"))

    title: Mapped[str] = mapped_column(sa.String(100), default="", info={"label": _l("Title")})
    kind: Mapped[str] = mapped_column(sa.String(8), default="weekly",
                                      info={"label": _l("Kind"), "choices": REPORT_KINDS})
    period_start: Mapped[dt.date] = mapped_column(info={"label": _l("From")})
    period_end: Mapped[dt.date | None] = mapped_column(info={"label": _l("To")})  # from the kind
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       index=False, label=_l("Rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    # The period's figures, filled when the report is created (and refreshed on demand).
    visits_planned: Mapped[int] = mapped_column(default=0, server_default="0",
                                                info={"label": _l("Visits planned")})
    visits_done: Mapped[int] = mapped_column(default=0, server_default="0",
                                             info={"label": _l("Visits done")})
    visits_checked_in: Mapped[int] = mapped_column(default=0, server_default="0",
                                                   info={"label": _l("Visits with check-in")})
    decision_maker_meetings: Mapped[int] = mapped_column(
        default=0, server_default="0", info={"label": _l("Meetings with decision makers")})
    new_customers: Mapped[int] = mapped_column(default=0, server_default="0",
                                               info={"label": _l("New customers")})
    other_figures: Mapped[str | None] = mapped_column(
        sa.Text, info={"label": _l("Other figures")})
    summary: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Summary")})
    plans: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Plans")})
    problems: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Problems")})
    needs: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Support needed")})
    manager_comment: Mapped[str | None] = mapped_column(
        sa.Text, info={"label": _l("Manager's comment")})
    rating: Mapped[str | None] = mapped_column(
        sa.String(1), info={"label": _l("Rating"), "choices": RATINGS})
    submitted_at: Mapped[dt.datetime | None] = mapped_column(
        info={"label": _l("Submitted at (UTC)")})
    state: Mapped[str] = mapped_column(
        sa.String(12), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": REPORT_STATES})
