"""crm_expense_funnel keeps the promises every addon keeps (rights, views, translations)."""

from __future__ import annotations

from core.testing.contract import check_addon


def test_crm_expense_funnel_keeps_the_addon_contract() -> None:
    assert check_addon("crm_expense_funnel") == []
