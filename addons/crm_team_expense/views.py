"""The trip on the claim's form and list; budget against actual and the claims on the trip.

Built when the kernel collects the views (`views()`), after the extension columns
of claims and trips are mapped.
"""

from __future__ import annotations

from typing import Any

from addons.crm_expense import views as expense_views
from addons.crm_expense.models import ExpenseClaim
from addons.crm_team import views as team_views
from addons.crm_team.models import Trip
from core.i18n import _l
from core.views import FormView, ListView, RelatedList, View, extend_view


def _claim_views() -> tuple[ListView, FormView]:
    found = [view for view in expense_views.VIEWS if getattr(view, "model", None) is ExpenseClaim]
    lists = [view for view in found if isinstance(view, ListView)]
    forms = [view for view in found if isinstance(view, FormView)]
    return lists[0], forms[0]


def views() -> list[View]:
    """Every view of the bridge."""
    claim: Any = ExpenseClaim
    trip: Any = Trip
    claim_list, claim_form = _claim_views()
    return [
        extend_view(claim_form, after=ExpenseClaim.date_to, add=[claim.trip_id]),
        extend_view(claim_list, after=ExpenseClaim.title, add=[claim.trip_id]),
        # Budget against actual, side by side on the trip's form and list.
        extend_view(team_views.trip_form, after=Trip.estimated_cost, add=[trip.actual_cost]),
        extend_view(team_views.trip_list, after=Trip.estimated_cost, add=[trip.actual_cost]),
        RelatedList(Trip, claim.trip_id,
                    columns=[ExpenseClaim.title, ExpenseClaim.claimant_id,
                             ExpenseClaim.date_from, ExpenseClaim.total, ExpenseClaim.state],
                    label=_l("Expense claims"), order=[(ExpenseClaim.date_from, True)]),
    ]
