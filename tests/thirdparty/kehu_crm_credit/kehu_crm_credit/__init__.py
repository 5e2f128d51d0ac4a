"""crm_credit: credit limits on customers — a third-party addon used by Kehu's tests."""

from __future__ import annotations

from addons.crm_customer.models import Customer
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.i18n import _
from core.models import Division
from kehu_crm_credit.models import CustomerCredit

manifest = Manifest(
    name="crm_credit",
    version="0.2.0",
    summary="Customer credit limits and payment terms",
    depends=["crm_customer>=0.1"],
    category="Finance",
)

__all__ = ["Customer", "CustomerCredit", "manifest"]


@hookimpl
def kehu_register_models() -> list[type]:
    return [CustomerCredit]


@hookimpl
def kehu_extra_home_items(division: Division) -> list[str]:
    return [_("Credit limits are checked for {division}").format(division=division.name)]
