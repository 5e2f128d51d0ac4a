"""Putting the addons' views together (core.views.collect_views, #21): conflicts and
unknown anchors stop start-up naming the addon; declarations are not changed."""

from __future__ import annotations

import pytest

from core.models import Region
from core.views import (
    FormView,
    KanbanView,
    ListView,
    RecordAction,
    Section,
    ViewError,
    collect_views,
    extend_view,
)

OWNERS = {Region: "geo"}
LIST = ListView(Region, columns=[Region.code, Region.name])
FORM = FormView(Region, fields=[Section("Main", [Region.code, Region.name]), Region.level],
                readonly_in={"done": [Region.code]})


def test_an_extension_changes_only_the_view_it_names_after_its_anchor() -> None:
    views = collect_views([
        ("geo", LIST), ("geo", FORM),
        ("extra", extend_view(FORM, after=Region.code, add=[Region.name_en])),
        ("extra", extend_view(LIST, after=Region.name, add=[Region.level])),
    ], OWNERS)[Region]
    assert views.form is not None and views.listing is not None
    assert views.form.flat_fields() == [Region.code, Region.name_en, Region.name, Region.level]
    assert list(views.listing.columns) == [Region.code, Region.name, Region.level]
    # The declarations themselves are untouched (copies are extended).
    assert FORM.flat_fields() == [Region.code, Region.name, Region.level]
    assert list(LIST.columns) == [Region.code, Region.name]
    views.form.readonly_in["locked"] = [Region.name]
    assert set(FORM.readonly_in) == {"done"}


def test_an_unknown_anchor_is_refused_naming_the_addon() -> None:
    with pytest.raises(ViewError, match="addon 'extra' adds fields after Region.level, which "
                                        "the list of Region does not show"):
        collect_views([("geo", LIST), ("extra", extend_view(LIST, after=Region.level,
                                                            add=[Region.name_en]))], OWNERS)
    with pytest.raises(ViewError, match="addon 'extra' extends the form of Region, which has none"):
        collect_views([("geo", LIST), ("extra", extend_view(FORM, after=Region.code,
                                                            add=[Region.name_en]))], OWNERS)


@pytest.mark.parametrize("second", [
    ListView(Region, columns=[Region.name]),
    FormView(Region, fields=[Region.name]),
])
def test_a_second_list_or_form_of_a_model_is_refused(second: ListView | FormView) -> None:
    kind = type(second).__name__
    with pytest.raises(ViewError, match=f"addon 'other' declares a second {kind} for Region "
                                        r"\(addon 'geo' declared one\)"):
        collect_views([("geo", LIST), ("geo", FORM), ("other", second)], OWNERS)


def test_a_second_kanban_or_action_key_is_refused() -> None:
    board = KanbanView(Region, column_by=Region.level, card=[Region.name])
    with pytest.raises(ViewError, match="second KanbanView"):
        collect_views([("geo", board), ("other", board)], OWNERS)
    action = RecordAction(Region, "merge", "Merge", handler=lambda *args: None)
    with pytest.raises(ViewError, match="addon 'other' declares the action 'merge' of Region again"):
        collect_views([("geo", action), ("other", action)], OWNERS)


def test_something_that_is_not_a_view_is_refused() -> None:
    with pytest.raises(ViewError, match="addon 'geo' returned 'oops', which is not a view"):
        collect_views([("geo", "oops")], OWNERS)


def test_the_kernels_actions_skip_models_of_addons_not_installed_here() -> None:
    """The kernel adds actions to every mapped lookup; a model another kernel of this
    process mapped (its addon not installed here) gets no pages and no API."""
    from addons.crm_marketing.models import CampaignCostType
    from core.lookups import hiding_actions

    views = collect_views([("geo", LIST), *[("core", action) for action in
                                            hiding_actions(CampaignCostType)]], OWNERS)
    assert set(views) == {Region}
    installed = collect_views([("core", action) for action in hiding_actions(CampaignCostType)],
                              {**OWNERS, CampaignCostType: "crm_marketing"})
    assert [a.key for a in installed[CampaignCostType].actions] == ["hide_here", "offer_here"]
