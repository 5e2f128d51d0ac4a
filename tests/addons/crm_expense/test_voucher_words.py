"""Amounts in capital numerals, as written on a reimbursement voucher (大写金额)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from addons.crm_expense.voucher import amount_in_words


@pytest.mark.parametrize(("amount", "words"), [
    ("1280", "壹仟贰佰捌拾元整"),
    ("1722.50", "壹仟柒佰贰拾贰元伍角"),
    ("0.05", "伍分"),
    ("0", "零元整"),
    ("100500", "壹拾万零伍佰元整"),
    ("1005", "壹仟零伍元整"),
    ("1050.30", "壹仟零伍拾元叁角"),
    ("3086.42", "叁仟零捌拾陆元肆角贰分"),
    ("200000000.07", "贰亿元零柒分"),
    ("10010000", "壹仟零壹万元整"),
])
def test_amounts_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words
