"""The kernel's own widgets: the examples every addon's widget follows."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from core.audit import ACTIVITY_KINDS, Activity, _model_of
from core.context import system_context
from core.fields import display_name_column, model_label
from core.i18n import _, _l, format_when
from core.workbench import Content, Figure, Row, Widget, WidgetContext
from core.workbench.models import Announcement, AnnouncementRead, RecentRecord

TODO_ROWS = 10
RECENT_ROWS = 8


def names_by_model(ctx: WidgetContext, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """(model key, id) → record name, read as the user (one query per model; hidden ones absent)."""
    names: dict[tuple[str, int], str] = {}
    for key, ids in wanted.items():
        model: Any = ctx.kernel.model_keys.get(key) or _model_of(key)
        if model is None or not ctx.kernel.policy.allowed(ctx.actor, model, "read"):
            continue
        column = display_name_column(model)
        for row_id, name in ctx.session.execute(sa.select(model.id, column).where(
                model.id.in_(sorted(ids)))):
            names[(key, row_id)] = str(name or f"#{row_id}")
    return names


def _todo_rows(ctx: WidgetContext) -> list[Activity]:
    with system_context():  # the user's own activities; the records' names are read as them
        return list(ctx.session.scalars(
            sa.select(Activity).where(Activity.assignee_id == ctx.actor.user_id,
                                      Activity.done.is_(False), Activity.due_date <= ctx.today)
            .order_by(Activity.due_date, Activity.id).limit(TODO_ROWS + 1)))


def my_todos(ctx: WidgetContext) -> Content:
    """Activities due today or overdue, assigned to me, with a one-click done."""
    activities = _todo_rows(ctx)
    wanted: dict[str, set[int]] = defaultdict(set)
    for activity in activities:
        wanted[activity.model].add(activity.res_id)
    names = names_by_model(ctx, wanted)
    rows = []
    for activity in activities[:TODO_ROWS]:
        name = names.get((activity.model, activity.res_id))
        if name is None:
            continue
        late = activity.due_date is not None and activity.due_date < ctx.today
        kind = ACTIVITY_KINDS.get(activity.kind, activity.kind)
        rows.append(Row(text=activity.summary,
                        meta=f"{kind} · {name} · {format_when(activity.due_date)}",
                        url=f"/m/{activity.model}/{activity.res_id}",
                        done_url=f"/workbench/activities/{activity.id}/done",
                        badge="overdue" if late else "today"))
    return Content(rows=rows, empty=_("Nothing due today. Well done."))


def approvals_waiting(ctx: WidgetContext) -> Content | None:
    """Steps waiting for my decision: the count and the oldest few."""
    from core.workflow import pending_for

    waiting = pending_for(ctx.session, ctx.actor)
    rows = [Row(text=f"{item.model_label} {item.document or '#' + str(item.res_id)}",
                meta=f"{item.step} · {item.submitter} · {item.waiting.text}",
                url=f"/m/{item.model}/{item.res_id}",
                badge="overdue" if item.waiting.overdue else None)
            for item in waiting[:5]]
    return Content(figures=[Figure(_("Waiting for me"), str(len(waiting)), url="/approvals")],
                   rows=rows, empty=_("No approval is waiting for you."),
                   more_url="/approvals", more_label=_("Open the approvals inbox"))


def my_notifications(ctx: WidgetContext) -> Content:
    """The newest unread notifications."""
    from core.notify.web import latest

    items = latest(ctx.session, ctx.actor.user_id, limit=5, unread_only=True)
    rows = [Row(text=item.text, meta=f"{item.label} · {format_when(item.date)}", url=item.url)
            for item in items]
    return Content(rows=rows, empty=_("No unread notification."), more_url="/notifications",
                   more_label=_("All notifications"))


def recent_records(ctx: WidgetContext) -> Content | None:
    """Records I opened lately (the ones I may still read)."""
    with system_context():
        opened = ctx.session.execute(
            sa.select(RecentRecord.model, RecentRecord.res_id, RecentRecord.opened_at)
            .where(RecentRecord.user_id == ctx.actor.user_id)
            .order_by(RecentRecord.opened_at.desc()).limit(RECENT_ROWS)).all()
    wanted: dict[str, set[int]] = defaultdict(set)
    for key, res_id, _when in opened:
        wanted[key].add(res_id)
    names = names_by_model(ctx, wanted)
    rows = []
    for key, res_id, when in opened:
        if (key, res_id) in names:
            model = ctx.kernel.model_keys.get(key)
            label = model_label(model) if model is not None else key
            rows.append(Row(text=names[(key, res_id)], meta=f"{label} · {format_when(when)}",
                            url=f"/m/{key}/{res_id}"))
    return Content(rows=rows, empty=_("The records you open will be listed here."))


def announcements(ctx: WidgetContext) -> Content | None:
    """Announcements (公告) to my division or the whole company that I have not read."""
    with system_context():
        unread = ctx.session.execute(
            sa.select(Announcement.id, Announcement.title, Announcement.body,
                      Announcement.published_at)
            .where(Announcement.active.is_(True), Announcement.published_at <= ctx.now,
                   sa.or_(Announcement.division_id.is_(None),
                          Announcement.division_id == ctx.actor.division_id),
                   ~sa.exists().where(AnnouncementRead.announcement_id == Announcement.id,
                                      AnnouncementRead.user_id == ctx.actor.user_id))
            .order_by(Announcement.published_at.desc()).limit(5)).all()
    if not unread:
        return None
    rows = [Row(text=title, meta=f"{format_when(published)} · {body}" if body else format_when(published),
                done_url=f"/workbench/announcements/{row_id}/read")
            for row_id, title, body, published in unread]
    return Content(rows=rows)


WIDGETS = [
    Widget(key="core.announcements", label=_l("Announcements"), render=announcements,
           sequence=5, wide=True),
    Widget(key="core.todos", label=_l("My to-dos"), render=my_todos, sequence=10),
    Widget(key="core.approvals", label=_l("Approvals waiting for me"), render=approvals_waiting,
           sequence=20),
    Widget(key="core.notifications", label=_l("Notifications"), render=my_notifications,
           sequence=40),
    Widget(key="core.recent", label=_l("Recently opened"), render=recent_records, sequence=90),
]


def enabled_addons(ctx: WidgetContext) -> Content:
    """For administrators: what the division has switched on, and what the addons add."""
    from core.i18n import gettext

    registry = ctx.kernel.registry
    enabled = registry.enabled_for(ctx.actor.division_id)
    rows = [Row(text=gettext(manifest.summary), meta=f"{manifest.name} {manifest.version}")
            for manifest in (registry.manifest(name) for name in registry.installed
                             if name in enabled)]
    return Content(rows=rows, empty=_("This division has not enabled any addon."))


def addon_notes(ctx: WidgetContext) -> Content | None:
    """The lines the division's addons give every user (`kehu_extra_home_items`);
    no block at all when none has anything to say."""
    from core.models import Division

    division = ctx.session.get(Division, ctx.actor.division_id) if ctx.actor.division_id else None
    if division is None:
        return None
    rows = [Row(text=line)
            for lines in ctx.kernel.registry.hooks_for(division.id).kehu_extra_home_items(
                division=division)
            for line in lines]
    return Content(rows=rows) if rows else None


WIDGETS.append(Widget(key="core.addons", label=_l("Enabled addons"), render=enabled_addons,
                      roles=("admin",), sequence=100, wide=True))
WIDGETS.append(Widget(key="core.addon_notes", label=_l("Notes from the addons"),
                      render=addon_notes, sequence=95))
