"""Lists, forms and menus of crm_customer."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_customer.models import (
    Contact,
    Customer,
    CustomerRelation,
    CustomerType,
    Industry,
    LeadSource,
    Product,
    ProductCategory,
)
from core.context import Actor
from core.i18n import _l
from core.navigation import Menu
from core.org import ADMIN
from core.views import Filter, FormView, KanbanView, ListView, RelatedList, Section


def _mine(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Customer.owner_id == actor.user_id


def _in_pool(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Customer.owner_id.is_(None)


def _key_accounts(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Customer.level == "A"


customer_list = ListView(
    Customer,
    columns=[Customer.code, Customer.name, Customer.level, Customer.status, Customer.type_id,
             Customer.owner_id, Customer.region_id, Customer.phone],
    search=[Customer.name, Customer.code, Customer.aliases, Customer.phone, Customer.tax_code],
    filters=[
        Filter("mine", _l("My customers"), _mine),
        Filter("pool", _l("Public pool"), _in_pool),
        Filter("key", _l("Key accounts (A)"), _key_accounts),
    ],
    group_by=[Customer.level, Customer.status, Customer.region_id, Customer.owner_id,
              Customer.type_id, Customer.industry_id, Customer.source_id,
              Customer.department_id, Customer.product_line_id, Customer.trade],
    order=[(Customer.name, False)],
)

customer_form = FormView(
    Customer,
    fields=[
        Section(_l("Customer"), [Customer.name, Customer.code, Customer.phone, Customer.level,
                                 Customer.aliases, Customer.type_id, Customer.industry_id,
                                 Customer.source_id, Customer.trade, Customer.upstream_id]),
        Section(_l("Address and contact details"), [
            Customer.region_id, Customer.county, Customer.address, Customer.fax, Customer.email,
            Customer.website, Customer.tax_code]),
        Section(_l("Responsibility"), [Customer.owner_id, Customer.department_id,
                                       Customer.product_line_id]),
        Section(_l("Distributor details"), [Customer.warehouse_address,
                                            Customer.warehouse_area, Customer.annual_sales,
                                            Customer.staff_count]),
        Section(_l("More"), [Customer.note, Customer.not_duplicate]),
    ],
)

customer_kanban = KanbanView(
    Customer, column_by=Customer.status,
    card=[Customer.name, Customer.level, Customer.owner_id],
)

contact_list = ListView(
    Contact,
    columns=[Contact.name, Contact.customer_id, Contact.title, Contact.mobile, Contact.email,
             Contact.decision_role, Contact.is_key],
    search=[Contact.name, Contact.mobile, Contact.phone, Contact.email],
    group_by=[Contact.decision_role, Contact.is_key, Contact.customer_id],
    order=[(Contact.name, False)],
)

contact_form = FormView(
    Contact,
    fields=[
        Section(_l("Contact"), [Contact.customer_id, Contact.name, Contact.title,
                                Contact.department, Contact.decision_role, Contact.is_key]),
        Section(_l("Contact details"), [Contact.mobile, Contact.phone, Contact.email,
                                        Contact.note]),
    ],
)

customer_contacts = RelatedList(
    Customer, key=Contact.customer_id,
    columns=[Contact.name, Contact.title, Contact.mobile, Contact.decision_role, Contact.is_key],
    label=_l("Contacts"), order=[(Contact.is_key, True), (Contact.name, False)],
)

customer_downstream = RelatedList(
    Customer, key=Customer.upstream_id,
    columns=[Customer.code, Customer.name, Customer.type_id, Customer.region_id],
    label=_l("Downstream customers"), order=[(Customer.name, False)],
)

relation_list = ListView(
    CustomerRelation,
    columns=[CustomerRelation.customer_id, CustomerRelation.related_id, CustomerRelation.kind,
             CustomerRelation.note],
    group_by=[CustomerRelation.kind],
)
relation_form = FormView(
    CustomerRelation,
    fields=[CustomerRelation.customer_id, CustomerRelation.related_id, CustomerRelation.kind,
            CustomerRelation.note],
)
customer_relations = RelatedList(
    Customer, key=CustomerRelation.customer_id,
    columns=[CustomerRelation.related_id, CustomerRelation.kind, CustomerRelation.note],
    label=_l("Related customers"),
)


def _lookup_views(model: Any) -> list[Any]:
    fields = [model.code, model.name, model.name_en, model.sequence, model.active]
    if model is CustomerType:
        fields.append(CustomerType.is_distributor)
    return [
        ListView(model, columns=fields, search=[model.code, model.name, model.name_en],
                 order=[(model.sequence, False), (model.code, False)]),
        FormView(model, fields=fields),
    ]


category_list = ListView(
    ProductCategory,
    columns=[ProductCategory.code, ProductCategory.name, ProductCategory.name_en,
             ProductCategory.parent_id, ProductCategory.active],
    search=[ProductCategory.code, ProductCategory.name],
    group_by=[ProductCategory.parent_id],
    order=[(ProductCategory.code, False)],
)
category_form = FormView(
    ProductCategory,
    fields=[ProductCategory.parent_id, ProductCategory.code, ProductCategory.name,
            ProductCategory.name_en, ProductCategory.active],
)

product_list = ListView(
    Product,
    columns=[Product.code, Product.name, Product.spec, Product.model, Product.unit,
             Product.category_id, Product.price, Product.floor_price, Product.active],
    search=[Product.code, Product.name, Product.spec, Product.model],
    group_by=[Product.category_id, Product.product_line_id, Product.active],
    order=[(Product.code, False)],
)
product_form = FormView(
    Product,
    fields=[
        Section(_l("Product"), [Product.code, Product.name, Product.spec, Product.model,
                                Product.unit, Product.category_id, Product.product_line_id,
                                Product.active]),
        Section(_l("Prices"), [Product.price, Product.floor_price]),
    ],
)

VIEWS: list[Any] = [
    customer_list, customer_form, customer_kanban,
    contact_list, contact_form, customer_contacts, customer_downstream,
    relation_list, relation_form, customer_relations,
    *_lookup_views(Industry), *_lookup_views(LeadSource), *_lookup_views(CustomerType),
    category_list, category_form, product_list, product_form,
]

MENUS = [
    Menu("customers", _l("Customers"), model=Customer, sequence=10),
    Menu("contacts", _l("Contacts"), model=Contact, sequence=11),
    Menu("products", _l("Products"), model=Product, sequence=60),
    Menu("product_categories", _l("Product categories"), model=ProductCategory, sequence=61,
         roles=(ADMIN,)),
    Menu("industries", _l("Industries"), model=Industry, sequence=62, roles=(ADMIN,)),
    Menu("lead_sources", _l("Lead sources"), model=LeadSource, sequence=63, roles=(ADMIN,)),
    Menu("customer_types", _l("Customer types"), model=CustomerType, sequence=64,
         roles=(ADMIN,)),
]
