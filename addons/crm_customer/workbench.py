"""crm_customer in the global search (#18): customers, contacts and service tickets."""

from __future__ import annotations

from addons.crm_customer.models import Contact, Customer, Ticket
from core.hookspecs import hookimpl
from core.search import Searchable

SEARCHABLES = [
    Searchable(Customer, fields=[Customer.name, Customer.code, Customer.aliases, Customer.phone,
                                 Customer.email],
               detail=[Customer.code, Customer.phone]),
    Searchable(Contact, fields=[Contact.name, Contact.mobile, Contact.phone, Contact.email],
               detail=[Contact.mobile, Contact.email]),
    Searchable(Ticket, fields=[Ticket.subject]),
]


@hookimpl
def kehu_register_searchables() -> list[Searchable]:
    return SEARCHABLES
