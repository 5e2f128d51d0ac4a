"""crm_team_expense keeps the promises every addon keeps (rights, views, translations)."""

from __future__ import annotations

from core.testing.contract import check_addon


def test_crm_team_expense_keeps_the_addon_contract() -> None:
    assert check_addon("crm_team_expense") == []
