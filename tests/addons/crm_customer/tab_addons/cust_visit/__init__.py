"""cust_visit: a test addon that adds a "Visit notes" tab to the customer form."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Customer
from core.access import Access, RecordRule, via
from core.addons import Manifest
from core.hookspecs import hookimpl
from core.i18n import _l
from core.org import ALL_STAFF
from core.orm import Model, ref
from core.views import FormView, ListView, RelatedList

manifest = Manifest(name="cust_visit", version="1.0.0", summary="Visit notes on customers",
                    depends=["crm_customer"])


class VisitNote(Model):
    """A line about a visit to a customer."""

    __tablename__ = "cust_visit_note"
    __label__ = _l("Visit note")

    customer_id: Mapped[int] = ref(Customer, label=_l("Customer"))
    summary: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Summary")})


@hookimpl
def kehu_register_models() -> list[type]:
    return [VisitNote]


@hookimpl
def kehu_register_views() -> list[Any]:
    return [ListView(VisitNote, columns=[VisitNote.customer_id, VisitNote.summary]),
            FormView(VisitNote, fields=[VisitNote.customer_id, VisitNote.summary]),
            RelatedList(Customer, key=VisitNote.customer_id, columns=[VisitNote.summary],
                        label=_l("Visit notes"))]


@hookimpl
def kehu_register_access() -> list[Any]:
    return [Access(VisitNote, ALL_STAFF, read=True, create=True, write=True)]


@hookimpl
def kehu_register_record_rules() -> list[Any]:
    return [RecordRule(VisitNote, ALL_STAFF, via(VisitNote.customer_id))]
