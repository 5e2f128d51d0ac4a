"""crm_marketing and its funnel bridge keep the promises every addon keeps (rights, views,
translations)."""

from __future__ import annotations

from core.testing.contract import check_addon


def test_crm_marketing_keeps_the_addon_contract() -> None:
    assert check_addon("crm_marketing") == []


def test_crm_marketing_funnel_keeps_the_addon_contract() -> None:
    assert check_addon("crm_marketing_funnel") == []
