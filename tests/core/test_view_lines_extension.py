"""extend_view anchors inside a form's inline lines too (a bridge adding the deal to claim
lines, #21): only that form's copy changes, and an anchor shown nowhere is still refused."""

from __future__ import annotations

import pytest

from core.models import Region, User
from core.views import FormView, Lines, ViewError, collect_views, extend_view

OWNERS = {User: "people"}
FORM = FormView(User, fields=[User.login, User.name],
                lines=[Lines(User.regions, columns=[Region.code, Region.name])])


def test_an_extension_anchored_on_a_line_column_adds_to_those_lines() -> None:
    views = collect_views([("people", FORM),
                           ("bridge", extend_view(FORM, after=Region.code, add=[Region.level]))],
                          OWNERS)[User]
    assert views.form is not None
    assert list(views.form.lines[0].columns) == [Region.code, Region.level, Region.name]
    assert views.form.flat_fields() == [User.login, User.name]
    assert list(FORM.lines[0].columns) == [Region.code, Region.name]  # a copy was extended


def test_an_anchor_neither_in_the_fields_nor_the_lines_is_refused() -> None:
    with pytest.raises(ViewError, match="addon 'bridge' adds fields after Region.path"):
        collect_views([("people", FORM),
                       ("bridge", extend_view(FORM, after=Region.path, add=[Region.level]))],
                      OWNERS)
