"""Lists, forms and menus of crm_customer."""

from __future__ import annotations

from addons.crm_customer.models import Customer
from core.i18n import _l
from core.navigation import Menu
from core.views import FormView, ListView, Section

customer_list = ListView(
    Customer,
    columns=[Customer.code, Customer.name, Customer.phone, Customer.owner_id, Customer.region_id],
    search=[Customer.name, Customer.code, Customer.phone],
    group_by=[Customer.owner_id, Customer.region_id, Customer.product_line_id],
    order=[(Customer.name, False)],
)

customer_form = FormView(
    Customer,
    fields=[
        Section(_l("Customer"), [Customer.name, Customer.code, Customer.phone]),
        Section(_l("Responsibility"), [Customer.owner_id, Customer.department_id,
                                       Customer.region_id, Customer.product_line_id]),
    ],
)

VIEWS = [customer_list, customer_form]
MENUS = [Menu("customers", _l("Customers"), model=Customer, sequence=10)]
