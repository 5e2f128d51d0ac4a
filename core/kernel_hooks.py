"""The kernel's own hook implementations (registered as the plugin "core")."""

from __future__ import annotations

from typing import Any

from core import org_views
from core.access import Access
from core.audit import Activity, FieldChange, Note
from core.hookspecs import hookimpl
from core.lookups import HiddenLookup, hiding_actions, lookup_models
from core.models import Department, Division, ProductLine, Region, Role, SavedFilter, User
from core.navigation import Menu
from core.notify import events as notify_events  # noqa: F401  (flush and commit listeners)
from core.org import ALL_STAFF
from core.search import indexing as _search_indexing  # noqa: F401  (keeps tokens up to date)
from core.search.models import SearchToken
from core.sharing import RecordShare, share_actions, shareable_models
from core.views import View
from core.workbench import models as _workbench_models  # noqa: F401  (kernel tables)
from core.workbench import views as workbench_views
from core.workflow import views as workflow_views
from core.workflow.models import ENGINE_TABLES


@hookimpl
def kehu_register_access() -> list[Access]:
    """Everybody reads the organisation; only admins change it (admin needs no grant)."""
    shared = [User, Division, Department, Region, ProductLine, Role]
    rights = [Access(model, ALL_STAFF, read=True) for model in shared]
    rights += [
        Access(FieldChange, ALL_STAFF, read=True, create=True),
        Access(Note, ALL_STAFF, read=True, create=True),
        Access(Activity, ALL_STAFF, read=True, create=True, write=True),
        # Queried only with the user's own id (core/web/ui/listing.py).
        Access(SavedFilter, ALL_STAFF, read=True, create=True, delete=True),
        # Read only inside the global search's query, joined to a model read under its rules (#18).
        Access(SearchToken, ALL_STAFF, read=True),
        # Pickers leave out the company-wide lookup entries a division hides (#14).
        Access(HiddenLookup, ALL_STAFF, read=True),
        # Read inside the "shared with you" rule; written by core.sharing alone (#14).
        Access(RecordShare, ALL_STAFF, read=True),
    ]
    # Inbox and trails read them as the user; only the workflow engine writes them.
    # Chains, steps and delegations are for admins alone (no grant).
    rights += [Access(model, ALL_STAFF, read=True) for model in ENGINE_TABLES]
    return rights


@hookimpl
def kehu_register_views() -> list[View]:
    """Admin pages of the organisation and of approval chains."""
    views = [*org_views.VIEWS, *workbench_views.VIEWS]  # announcements, mail server, webhooks (#18)
    # "Share with a user or team" on every shareable model's form (#14).
    shares = [action for model in shareable_models() for action in share_actions(model)]
    # "Hide in my division" on company-wide lookup entries (#14).
    shares += [action for model in lookup_models() for action in hiding_actions(model)]
    return [*views, *workflow_views.VIEWS, *shares]


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return [*org_views.MENUS, *workflow_views.MENUS, *workbench_views.MENUS]


# ------------------------------------- workbench, search, notifications (#18)


@hookimpl
def kehu_register_widgets() -> list[Any]:
    """The kernel's own widgets: to-dos, approvals waiting, notifications, recent, announcements."""
    from core.workbench.kernel_widgets import WIDGETS

    return WIDGETS


@hookimpl
def kehu_register_jobs() -> list[Any]:
    """Send queued notifications (e-mail, webhook) with retries; tell about overdue activities."""
    from core.notify.delivery import JOBS

    return JOBS


@hookimpl
def kehu_on_transition(session: Any, document: Any, transition: Any, actor: Any, log: Any) -> None:
    """Approvals waiting, approved and rejected documents raise notifications."""
    notify_events.on_transition(session, document, transition, actor, log)


@hookimpl
def kehu_on_installed(session: Any, addon: str) -> None:
    """Write the search tokens of the rows of `addon`'s searchable models that have none."""
    from core.runtime import kernel_of
    from core.search.indexing import backfill_addon

    kernel = kernel_of(session)
    if kernel is not None:
        backfill_addon(session, kernel.registry, addon)


@hookimpl
def kehu_on_rows_imported(session: Any, model: type, written: Any, division_id: int | None) -> None:
    """Imported rows of a searchable model get their search tokens (in chunks, no row at a time)."""
    from core.runtime import kernel_of
    from core.search.indexing import index_where, searchables

    kernel = kernel_of(session)
    searchable = searchables(kernel.registry if kernel else None).get(model)
    if searchable is not None:
        index_where(session, searchable, written, replace=False)  # new rows: no tokens yet
