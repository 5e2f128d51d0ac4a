"""The kernel's own hook implementations (registered as the plugin "core")."""

from __future__ import annotations

from core import org_views
from core.access import Access
from core.audit import Activity, FieldChange, Note
from core.hookspecs import hookimpl
from core.lookups import HiddenLookup
from core.navigation import Menu
from core.models import Department, Division, ProductLine, Region, Role, SavedFilter, User
from core.org import ALL_STAFF
from core.views import View
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
        # Pickers leave out the company-wide lookup entries a division hides (#14).
        Access(HiddenLookup, ALL_STAFF, read=True),
    ]
    # Inbox and trails read them as the user; only the workflow engine writes them.
    # Chains, steps and delegations are for admins alone (no grant).
    rights += [Access(model, ALL_STAFF, read=True) for model in ENGINE_TABLES]
    return rights


@hookimpl
def kehu_register_views() -> list[View]:
    """Admin pages of the organisation and of approval chains."""
    views: list[View] = list(org_views.VIEWS)  # type: ignore[arg-type]
    return views + workflow_views.VIEWS


@hookimpl
def kehu_register_menus() -> list[Menu]:
    return [*org_views.MENUS, *workflow_views.MENUS]
