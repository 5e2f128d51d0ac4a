"""crm_expense: Expense requests, reimbursement claims and expense analysis."""

from __future__ import annotations

from core.addons import Manifest

manifest = Manifest(
    name="crm_expense",
    version="0.1.0",
    summary="Expense requests, reimbursement claims and expense analysis",
    depends=["crm_customer"],
    category="Sales",
)
