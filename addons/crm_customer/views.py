"""Lists, forms and menus of crm_customer."""

from __future__ import annotations

from addons.crm_customer.models import Customer
from core.i18n import _l
from core.navigation import Menu
from core.views import FormView, KanbanView, ListView, Section

customer_list = ListView(
    Customer,
    columns=[Customer.code, Customer.name, Customer.level, Customer.status, Customer.owner_id,
             Customer.region_id],
    search=[Customer.name, Customer.code, Customer.phone],
    group_by=[Customer.level, Customer.status, Customer.owner_id, Customer.region_id,
              Customer.product_line_id],
    order=[(Customer.name, False)],
)

customer_form = FormView(
    Customer,
    fields=[
        Section(_l("Customer"), [Customer.name, Customer.code, Customer.phone, Customer.level,
                                 Customer.status]),
        Section(_l("Responsibility"), [Customer.owner_id, Customer.department_id,
                                       Customer.region_id, Customer.product_line_id]),
    ],
)

customer_kanban = KanbanView(
    Customer, column_by=Customer.status,
    card=[Customer.name, Customer.level, Customer.owner_id],
)

VIEWS = [customer_list, customer_form, customer_kanban]
MENUS = [Menu("customers", _l("Customers"), model=Customer, sequence=10)]
